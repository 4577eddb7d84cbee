%% Seeded random mixes of every keyed write and read on set, bag and
%% duplicate_bag tables (with and without write_concurrency), through growth,
%% shrinkage and fixed periods. After each phase it prints fingerprints of
%% what lookups and member see for a sample of keys and of the order of every
%% traversal (first/next, tab2list, select, match_object, foldl, slot), so a
%% keyed access path that disagrees with the bucket chains, or a chain in the
%% wrong order, shows as a difference from OTP.
%%
%% Objects are inserted one call at a time or in lists of at most three: a
%% long list insert yields on OTP and keeps the table fixed meanwhile, which
%% makes OTP's order depend on reductions. Table-wide select_delete and
%% match_delete run only on small tables for the same reason.
-module(ets_hash_mix).
-export([main/0]).

-define(KEYS, 9000).

main() ->
    rand:seed(exsss, {20261206, 7, 11}),
    [run(Type, Opts) || Type <- [set, bag, duplicate_bag], Opts <- [[], [{write_concurrency, true}]]],
    ok.

run(Type, Opts) ->
    T = ets:new(mix, [Type, public | Opts]),
    io:format("~p ~p~n", [Type, Opts]),
    %% grow well past the point where OTP starts shrinking again
    phase(T, grow, 10000, fun() -> pick([{insert, 6}, {delete, 1}, {read, 2}, {update, 1}]) end),
    phase(T, churn, 4000, fun() -> pick([{insert, 3}, {delete, 3}, {read, 2}, {update, 2}]) end),
    fixed(T, 2000),
    phase(T, after_fix, 1500, fun() -> pick([{insert, 2}, {delete, 2}, {read, 1}, {update, 1}]) end),
    phase(T, shrink, 20000, fun() -> pick([{insert, 1}, {delete, 8}, {read, 2}]) end),
    phase(T, small, 2000, fun() -> pick([{insert, 3}, {delete, 3}, {read, 1}, {update, 1}, {sweep, 1}]) end),
    phase(T, regrow, 5000, fun() -> pick([{insert, 8}, {delete, 1}, {read, 1}]) end),
    ets:delete(T).

%% A fixed period: deletes while fixed (their keys stay as stand-ins), a
%% first/next walk that deletes some of what it passes, then the unfix, after
%% which the table has to catch up on its shrinking.
fixed(T, N) ->
    true = ets:safe_fixtable(T, true),
    steps(T, N, fun() -> pick([{delete_key, 3}, {read, 1}]) end),
    Walked = fixed_walk(T, ets:first(T), 0, []),
    io:format("  fixed walk ~p ~p~n", [length(Walked), erlang:phash2(Walked)]),
    report(T, fixed),
    true = ets:safe_fixtable(T, false),
    report(T, unfixed).

fixed_walk(_T, '$end_of_table', _I, Acc) -> lists:reverse(Acc);
fixed_walk(T, K, I, Acc) ->
    Next = ets:next(T, K),
    I rem 3 =:= 0 andalso ets:delete(T, K),
    fixed_walk(T, Next, I + 1, [K | Acc]).

phase(T, Name, N, Pick) ->
    steps(T, N, Pick),
    report(T, Name).

steps(_T, 0, _Pick) -> ok;
steps(T, N, Pick) ->
    op(T, Pick()),
    steps(T, N - 1, Pick).

pick(Weights) ->
    R = rand:uniform(lists:sum([W || {_, W} <- Weights])),
    pick(R, Weights).

pick(R, [{Op, W} | _]) when R =< W -> Op;
pick(R, [{_, W} | Rest]) -> pick(R - W, Rest).

%% Keys of several kinds, so hashes take different paths.
key() ->
    K = rand:uniform(?KEYS),
    case K rem 11 of
        0 -> {K, K rem 7};
        1 -> list_to_atom("k" ++ integer_to_list(K rem 400));
        2 -> integer_to_binary(K);
        3 -> [K, K + 1];
        _ -> K
    end.

val() -> rand:uniform(4).

op(T, insert) ->
    case rand:uniform(6) of
        1 -> ets:insert(T, [{key(), val()} || _ <- lists:seq(1, rand:uniform(3))]);
        2 -> ets:insert_new(T, {key(), val()});
        _ -> ets:insert(T, {key(), val()})
    end;
op(T, delete) ->
    K = key(),
    case rand:uniform(5) of
        1 -> ets:delete_object(T, {K, val()});
        2 -> ets:take(T, K);
        _ -> ets:delete(T, K)
    end;
op(T, delete_key) ->
    ets:delete(T, key());
op(T, read) ->
    K = key(),
    _ = ets:lookup(T, K),
    _ = ets:member(T, K);
op(T, update) ->
    K = key(),
    case ets:info(T, type) of
        set ->
            case rand:uniform(2) of
                1 -> ets:update_counter(T, K, {2, 1}, {K, 0});
                2 -> catch ets:update_element(T, K, {2, val()})
            end;
        _ ->
            ets:insert(T, {K, val()})
    end;
op(T, sweep) ->
    case ets:info(T, size) < 300 of
        true ->
            case rand:uniform(3) of
                1 -> ets:match_delete(T, {'_', val()});
                2 -> ets:select_delete(T, [{{'_', '$1'}, [{'>', '$1', 3}], [true]}]);
                3 -> ets:select_delete(T, [{{key(), '$1'}, [{'<', '$1', val()}], [true]}])
            end;
        false ->
            ok
    end.

%% Fingerprints of the keyed view and of every traversal order.
report(T, Phase) ->
    Sample = [sample_key(I) || I <- lists:seq(1, ?KEYS, 13)],
    Looked = [ets:lookup(T, K) || K <- Sample],
    Members = [ets:member(T, K) || K <- Sample],
    Walk = walk(T, ets:first(T), []),
    Slots = slots(T, 0, []),
    Fold = ets:foldl(fun(O, Acc) -> [O | Acc] end, [], T),
    io:format("  ~p size ~p lookups ~p members ~p~n",
              [Phase, ets:info(T, size), erlang:phash2(Looked), erlang:phash2(Members)]),
    io:format("    first/next ~p tab2list ~p select ~p match ~p foldl ~p slot ~p~n",
              [erlang:phash2(Walk), erlang:phash2(ets:tab2list(T)),
               erlang:phash2(ets:select(T, [{'$1', [], ['$1']}])),
               erlang:phash2(ets:match_object(T, '_')),
               erlang:phash2(Fold), erlang:phash2(Slots)]),
    %% every object the walks meet is one a lookup of its key finds
    Objs = lists:append(Slots),
    Agree = lists:all(fun(O) -> lists:member(O, ets:lookup(T, element(1, O))) end, Objs),
    io:format("    walks and lookups agree ~p, slot count ~p~n", [Agree, length(Objs)]).

sample_key(I) ->
    case I rem 11 of
        0 -> {I, I rem 7};
        1 -> list_to_atom("k" ++ integer_to_list(I rem 400));
        2 -> integer_to_binary(I);
        3 -> [I, I + 1];
        _ -> I
    end.

walk(_T, '$end_of_table', Acc) -> lists:reverse(Acc);
walk(T, K, Acc) -> walk(T, ets:next(T, K), [K | Acc]).

slots(T, I, Acc) ->
    case ets:slot(T, I) of
        '$end_of_table' -> lists:reverse(Acc);
        L -> slots(T, I + 1, [L | Acc])
    end.
