%% Calendar time: erlang:posixtime_to_universaltime/1 and back,
%% universaltime_to_localtime/1, localtime_to_universaltime/1,2,
%% localtime/0, universaltime/0, date/0, time/0, and the calendar module
%% on top. Runs under TZ=UTC-free checks: prints only fixed conversions and
%% relations between the clocks.
-module(time_calendar).
-export([main/0]).

main() ->
    [p({to_universal, S}, catch erlang:posixtime_to_universaltime(S))
     || S <- [0, 1, 86399, 86400, 951782400, 1700000000, -1, -86401, 4102444800, 253402300799, foo, 1.5]],
    [p({to_posix, DT}, catch erlang:universaltime_to_posixtime(DT))
     || DT <- [{{1970,1,1},{0,0,0}}, {{2000,2,29},{12,0,0}}, {{1969,12,31},{23,59,59}},
               {{1600,3,1},{0,0,0}}, {{2001,2,29},{0,0,0}}, {{2000,1,1},{24,0,0}},
               {{2000,13,1},{0,0,0}}, {{2000,1,1}}, foo]],
    Now = erlang:universaltime(),
    Local = erlang:localtime(),
    p(local_roundtrip, erlang:localtime_to_universaltime(Local) =:= Now orelse near(Now)),
    p(universal_to_local, erlang:universaltime_to_localtime(Now) =:= Local orelse near(Now)),
    p(date_time, {date(), time()} =:= Local orelse near(Now)),
    p(bad_local, catch erlang:universaltime_to_localtime({{2000,2,30},{0,0,0}})),
    p(bad_dst, catch erlang:localtime_to_universaltime({{2000,1,1},{0,0,0}}, maybe)),
    p(bad_local2, catch erlang:localtime_to_universaltime(foo)),
    p(day_of_week, calendar:day_of_the_week(2024, 2, 29)),
    p(gregorian, calendar:datetime_to_gregorian_seconds({{2024,2,29},{1,2,3}})),
    p(now_to_dt, calendar:now_to_universal_time({1700, 0, 0})),
    p(valid, calendar:local_time() =/= undefined),
    p(rfc3339, calendar:system_time_to_rfc3339(1700000000, [{offset, "Z"}])),
    p(iso_week, calendar:iso_week_number({2021, 1, 3})).

near(Now) ->
    %% the second may tick between the two readings
    abs(calendar:datetime_to_gregorian_seconds(erlang:universaltime())
        - calendar:datetime_to_gregorian_seconds(Now)) =< 1.

p(Tag, {'EXIT', {Reason, _}}) -> io:format("~p: EXIT ~p~n", [Tag, Reason]);
p(Tag, R) -> io:format("~p: ~p~n", [Tag, R]).
