%% The bundled workload of scripts/main-job.sh: a small map-reduce. Eight
%% worker processes each generate 100,000 pseudo-random words, count them in
%% a map and send the counts to the parent, which merges them and prints the
%% five most frequent words. Run profiled it shows where a concurrent
%% program spends its time:
%%
%%   erbium --profile call_time --profile-pattern wordfreq -s wordfreq main
-module(wordfreq).
-export([main/0, worker/2]).

-define(WORKERS, 8).
-define(WORDS, 100000).

main() ->
    Parent = self(),
    Workers = [spawn(?MODULE, worker, [Parent, Seed]) || Seed <- lists:seq(1, ?WORKERS)],
    Counts = [receive {counts, W, C} -> C end || W <- Workers],
    Total = lists:foldl(fun merge/2, #{}, Counts),
    Top = lists:sublist(lists:reverse(lists:keysort(2, maps:to_list(Total))), 5),
    io:format("~b words, top five: ~p~n", [?WORKERS * ?WORDS, Top]).

worker(Parent, Seed) ->
    Parent ! {counts, self(), count(words(Seed, ?WORDS, []), #{})}.

words(_, 0, Acc) -> Acc;
words(Seed, N, Acc) ->
    Next = (Seed * 1103515245 + 12345) rem 2147483648,
    words(Next, N - 1, [word(Next) | Acc]).

%% Skewed: low numbers come up more often.
word(R) ->
    element(min(R rem 13, R rem 29) + 1,
            {time, year, people, way, day, man, thing, woman, life, child, world, school,
             state, family, student, group, country, problem, hand, part, place, week,
             company, system, program, question, work, number, night}).

count([], Counts) -> Counts;
count([W | Ws], Counts) -> count(Ws, maps:update_with(W, fun(C) -> C + 1 end, 1, Counts)).

merge(Counts, Acc) ->
    maps:fold(fun(W, C, A) -> maps:update_with(W, fun(N) -> N + C end, C, A) end, Acc, Counts).
