-module(packet_decode).
%% erlang:decode_packet/3 on every non-HTTP packet type, the options and bad arguments.
-export([main/0]).
t(T, B, O) ->
    R = try erlang:decode_packet(T, B, O)
        catch error:E:St -> {error, E, [I || {erlang, decode_packet, _, I} <- St]}
        end,
    io:format("~p ~p ~p -> ~p~n", [T, B, O, R]).
main() ->
    [t(T, B, []) || T <- [raw, 0, 1, 2, 4], B <- [<<>>, <<0>>, <<1,2>>, <<0,0,0,1,5,6>>, <<3,1,2,3,4>>]],
    t(1, <<5,1,2,3,4,5,6>>, [{packet_size, 3}]),
    t(2, <<0,5,1,2,3,4,5,6>>, [{packet_size, 5}]),
    t(2, <<0,5,1,2,3,4,5,6>>, [{packet_size, 4}]),
    t(raw, <<1,2,3>>, [{packet_size, 2}]),
    t(line, <<"abc\ndef">>, []), t(line, <<"abc">>, []), t(line, <<"abcdef">>, [{line_length, 3}]),
    t(line, <<"abcdef\n">>, [{packet_size, 3}]), t(line, <<"ab\n">>, [{line_length, 3}]),
    t(line, <<"abc\n">>, [{line_length, 3}]),t(line, <<"abcd\n">>, [{line_length, 3}]),
    t(line, <<"a\r\nb">>, []), t(line, <<>>, []),
    t(line, <<"abcdef\n">>, [{packet_size, 7}]),t(line, <<"abcdef\n">>, [{packet_size, 6}]),
    t(line, <<"abcdef">>, [{packet_size, 6}]),t(line, <<"abcdef">>, [{packet_size, 5}]),
    t(line, <<"abcdef">>, [{line_delimiter, $c}]),
    t(asn1, <<16#30, 3, 1,2,3, 9>>, []), t(asn1, <<16#30, 16#81, 2, 1,2, 9>>, []),
    t(asn1, <<16#30, 16#80, 1,2,0,0,7>>, []), t(asn1, <<16#1f, 16#81, 1, 1, 5, 7>>, []),
    t(asn1, <<16#30>>, []), t(asn1, <<16#30, 16#82, 0>>, []), t(asn1, <<16#30, 5, 1>>, []),
    t(asn1, <<16#30, 16#85, 0,0,0,0,1,5>>, []),
    t(sunrm, <<128,0,0,2,1,2,3>>, []), t(sunrm, <<0,0,0,2,1,2,3>>, []), t(sunrm, <<0,0,0>>, []),
    t(cdr, <<"GIOP",1,0,0,0,0,0,0,2,1,2,3>>, []), t(cdr, <<"GIOP",1,0,1,0,2,0,0,0,1,2,3>>, []),
    t(cdr, <<"GIOX",1,0,0,0,0,0,0,2,1,2,3>>, []), t(cdr, <<"GIO">>, []),
    t(fcgi, <<1,1,0,1,0,3,2,0,1,2,3,4,5,6>>, []), t(fcgi, <<1,1,0,1,0,3,2>>, []), t(fcgi, <<2,1,0,1,0,3,0,0,1,2,3>>, []),
    t(tpkt, <<3,0,0,6,1,2,9>>, []), t(tpkt, <<4,0,0,6,1,2>>, []), t(tpkt, <<3,0,0,2>>, []), t(tpkt, <<3,0>>, []),
    t(foo, <<>>, []), t(1, foo, []), t(1, <<1,2>>, [bad]), t(1, <<1,2>>, [{packet_size, -1}]),
    t(1, <<1,2:4>>, []), t(1, <<1,2>>, foo),
    t(1, <<1,2,3>>, [{packet_size, 0}]), t(line, <<"abc">>, [{line_length, 0}]),
    t(1, <<9:4, 3, 1, 2, 3, 4:4>>, []),
    <<_:3, Odd/bitstring>> = <<7:3, 2, 0, 5, 1, 2, 3, 4, 5, 6>>,
    t(2, Odd, []),
    t(4, binary:copy(<<0,0,1,0>>, 100), []),
    {ok, L1, L2} = erlang:decode_packet(line, binary:copy(<<"x">>, 3000), [{line_length, 2000}]),
    io:format("line_length 2000: ~p ~p~n", [byte_size(L1), byte_size(L2)]),
    t(line, <<"a,b">>, [{line_delimiter, $,}, {line_delimiter, 256}]),
    t(asn1, <<16#30, 16#84, 0, 0, 0, 2, 1, 2>>, []),
    t(cdr, <<"GIOP", 1, 2, 1, 0, 3, 0, 0, 0, 1, 2, 3, 4>>, [{packet_size, 2}]),
    ok.
