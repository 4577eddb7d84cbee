-module(compat_bifs_more).
-export([main/0]).
-compile(nowarn_deprecated_function).
%% BIFs of the erlang and binary modules that erbium once lacked.
-record(rec, {a, b}).
main() ->
    show(binary, decode_unsigned, [[<<>>], [<<1>>], [<<1, 0>>], [<<255, 255, 255, 255, 255, 255, 255, 255, 255>>],
                                   [<<1:4>>], [abc]]),
    show(binary, decode_unsigned, [[<<1, 0>>, little], [<<1, 0>>, big], [<<1, 2, 3>>, middle],
                                   [binary:part(<<9, 1, 2, 3>>, 1, 3), little]]),
    show(binary, encode_unsigned, [[0], [255], [256], [1 bsl 70], [-1], [1.0]]),
    show(binary, encode_unsigned, [[258, little], [258, big], [1 bsl 64 + 1, little], [1, bad]]),
    show(binary, list_to_bin, [[[1, 2, <<3>>, [4]]], [[a]], [<<"x">>]]),
    show(binary, longest_common_prefix, [[[<<"erlang">>, <<"ergonomy">>]], [[<<"abc">>]], [[]],
                                         [[<<"a">>, <<>>]], [[<<"abc">>, x]], [[<<"xabc">>, <<"xabd">>, <<"xab">>]]]),
    show(binary, longest_common_suffix, [[[<<"erlang">>, <<"fang">>]], [[<<"abc">>, <<"bc">>, <<"c">>]], [[<<"a">>, <<"b">>]]]),
    Big = binary:copy(<<"0123456789">>, 20),
    show(binary, referenced_byte_size, [[<<"abc">>], [Big], [binary:part(Big, 5, 100)], [x]]),
    show(erlang, list_to_pid, [["<0.0.0>"], ["<0.4.0>"], ["bad"], ["<0.4>"], [[60, 48]], [x]]),
    show(erlang, pid_to_list, [[list_to_pid("<0.42.0>")]]),
    show(erlang, list_to_ref, [["#Ref<0.1.2.3>"], ["#Ref<0.1.2>"]]),
    R = list_to_ref("#Ref<0.1.2.3>"),
    io:format("~p ~p~n", [ref_to_list(R), R =:= list_to_ref(ref_to_list(R))]),
    P = list_to_port("#Port<0.7>"),
    io:format("~p ~p~n", [port_to_list(P), catch list_to_port("#Port<0.x>")]),
    show(erlang, is_builtin, [[erlang, abs, 1], [lists, reverse, 2], [lists, seq, 2], [erlang, apply, 3], [nomod, f, 0], [1, 2, 3]]),
    show(erlang, is_record, [[#rec{}, rec], [#rec{}, other], [{rec}, rec], [x, rec], [#rec{}, 1]]),
    show(erlang, is_record, [[#rec{}, rec, 3], [#rec{}, rec, 2], [#rec{}, rec, x]]),
    show(erlang, append, [[[1, 2], [3]], [[], x], [x, [1]]]),
    show(erlang, subtract, [[[1, 2, 3, 2], [2]], [x, [1]]]),
    show(erlang, external_size, [[{a, "bc"}], [1.5], [<<1, 2, 3>>], [#{a => [1, 2]}], [lists:seq(1, 300)]]),
    show(erlang, external_size, [[1.5, [{minor_version, 0}]], [1.5, [{minor_version, 1}]], [x, [bad]]]),
    show(erlang, term_to_iovec, [[{a, b}], [<<"abc">>]]),
    io:format("~p~n", [iolist_to_binary(term_to_iovec({x, [1, 2]}, [compressed])) =:= term_to_binary({x, [1, 2]}, [compressed])]),
    {A, B, C} = erlang:now(),
    {A2, B2, C2} = erlang:now(),
    io:format("now ~p~n", [is_integer(A) andalso B < 1000000 andalso C < 1000000 andalso {A2, B2, C2} > {A, B, C}]),
    ok.

show(M, F, ArgLists) ->
    [io:format("~p:~p~p -> ~p~n", [M, F, Args, try apply(M, F, Args) catch error:E:S -> {error, E, error_info(S)} end])
     || Args <- ArgLists].

error_info([{_, _, _, Loc} | _]) -> proplists:get_value(error_info, Loc, none).
