%% Costs of the profiler itself, on OTP and on erbium alike:
%%   - nanoseconds a call_count / call_time breakpoint adds to a call;
%%   - setting and clearing call_time on every function of modules m1..m100
%%     (bench/profiler/profile.sh generates and compiles them);
%%   - trace_info(call_time) queries while 100,000 processes hold entries:
%%     the latency of the first and the best of three, and the longest stall
%%     a spinning process sees meanwhile (OTP blocks every scheduler for a
%%     query; on two cores the spinner may share the querier's scheduler).
%% Prints `COST <name> <value>` lines.
-module(prof_costs).
-export([main/0, leaf/0, holder/1, ticker/2]).

-define(CALLS, 2000000).
-define(MODULES, 100).
-define(HOLDERS, 100000).

leaf() -> ok.

main() ->
    per_call(),
    set_and_clear(),
    query_under_load().

%% ---- per call ----

per_call() ->
    Plain = best_loop(),
    erlang:trace_pattern({?MODULE, leaf, 0}, true, [call_count]),
    Count = best_loop(),
    erlang:trace_pattern({?MODULE, leaf, 0}, false, [call_count]),
    erlang:trace(self(), true, [call]),
    erlang:trace_pattern({?MODULE, leaf, 0}, true, [call_time]),
    Time = best_loop(),
    erlang:trace_pattern({?MODULE, leaf, 0}, false, [call_time]),
    erlang:trace(self(), false, [call]),
    cost("plain_call_ns", Plain * 1000 / ?CALLS),
    cost("call_count_added_ns", (Count - Plain) * 1000 / ?CALLS),
    cost("call_time_added_ns", (Time - Plain) * 1000 / ?CALLS).

best_loop() -> lists:min([timed(fun() -> loop(?CALLS) end) || _ <- [1, 2, 3]]).

loop(0) -> ok;
loop(N) -> ?MODULE:leaf(), loop(N - 1).

%% ---- set and clear on 100 modules ----

set_and_clear() ->
    Mods = [list_to_atom("m" ++ integer_to_list(I)) || I <- lists:seq(1, ?MODULES)],
    Functions = lists:sum([length(M:module_info(functions)) || M <- Mods]),
    Set = timed(fun() -> [erlang:trace_pattern({M, '_', '_'}, true, [call_time]) || M <- Mods] end),
    Clear = timed(fun() -> [erlang:trace_pattern({M, '_', '_'}, false, [call_time]) || M <- Mods] end),
    cost("functions_in_100_modules", Functions),
    cost("set_call_time_100_modules_us", Set),
    cost("clear_call_time_100_modules_us", Clear).

%% ---- a query with 100,000 processes holding entries ----

query_under_load() ->
    erlang:trace(new, true, [call]),
    erlang:trace_pattern({?MODULE, leaf, 0}, true, [call_time]),
    Self = self(),
    Holders = [spawn(?MODULE, holder, [Self]) || _ <- lists:seq(1, ?HOLDERS)],
    [receive {held, H} -> ok end || H <- Holders],
    erlang:trace(new, false, [call]),
    Ticker = spawn(?MODULE, ticker, [Self, 0]),
    timer_sleep(50),
    Queries = [timer_tc(fun() -> erlang:trace_info({?MODULE, leaf, 0}, call_time) end) || _ <- [1, 2, 3]],
    [{First, {call_time, Entries}} | _] = Queries,
    timer_sleep(20),
    Ticker ! {stop, Self},
    Stall = receive {max_gap, G} -> G end,
    [H ! stop || H <- Holders],
    erlang:trace_pattern({?MODULE, leaf, 0}, false, [call_time]),
    cost("query_entries", length(Entries)),
    cost("first_query_latency_us", First),
    cost("best_query_latency_us", lists:min([Us || {Us, _} <- Queries])),
    cost("longest_stall_during_query_us", Stall).

holder(Parent) ->
    leaf(),
    Parent ! {held, self()},
    receive stop -> ok end.

%% Spins, noting the longest gap between two looks at the clock.
ticker(_Parent, MaxGap) -> tick(erlang:monotonic_time(microsecond), MaxGap).
tick(Last, MaxGap) ->
    receive {stop, P} -> P ! {max_gap, MaxGap}
    after 0 ->
        Now = erlang:monotonic_time(microsecond),
        tick(Now, max(MaxGap, Now - Last))
    end.

%% ---- helpers (timer:tc and timer:sleep without the timer module) ----

timed(F) -> element(1, timer_tc(F)).

timer_tc(F) ->
    T0 = erlang:monotonic_time(microsecond),
    R = F(),
    {erlang:monotonic_time(microsecond) - T0, R}.

timer_sleep(Ms) -> receive after Ms -> ok end.

cost(Name, Value) when is_float(Value) -> io:format("COST ~s ~.2f~n", [Name, Value]);
cost(Name, Value) -> io:format("COST ~s ~b~n", [Name, Value]).
