%% Several errors in one clause (OTP lists them all, then stops), clause
%% shapes checked before any clause compiles, and heads and bodies of every
%% term kind.
-module(ms_errors_many).
-export([main/0]).
t(O, MS, D) -> io:format("~p ~p ~p~n  -> ~p~n", [O, MS, D, erlang:match_spec_test(O, MS, D)]).
main() ->
  t({a}, [{'_',[],[{foo}|x]}], table),
  t({a}, [{'_',[{foo}|x],[x]}], table),
  t({a}, [{'_',[],[{foo}, '$9'|x]}], table),
  t({a}, [{'$9',[],[{foo}]}, x], table),
  t({a}, [x, {'$9',[],[{foo}]}], table),
  t({const, 1}, [{{const, 1},[],['$_']}], table),
  t({a}, [{'_',['$_'],[x]}], table),
  t({a}, [{'_',['$$'],[x]}], table),
  t({a}, [{'_',[{'=:=','$$',[]}],[x]}], table),
  t({a,b}, [{{'$1','$2'},[{'=:=','$$',['$1','$2']}],[x]}], table),
  t({[a,b]}, [{{'$1'},[],[{length,'$1'}, {hd,'$1'}, {tl, '$1'}]}], table),
  t({1}, [{{'$1'},[],[{'andalso', true, '$1'}]}], table),
  t({1}, [{{'$1'},[],[{'andalso', '$1', true}]}], table),
  t({1}, [{{'$1'},[],[{'orelse', '$1', true}]}], table),
  t({<<"abc">>}, [{{'$1'},[],[{binary_part,'$1',{0,1}}]}], table),
  t({<<"abc">>}, [{{<<"abc">>},[],[ok]}], table),
  t({"abc"}, [{{"abc"},[],[ok]}], table),
  t({"abc"}, [{{[$a|'$1']},[],['$1']}], table),
  t({#{}}, [{{#{}},[],[ok]}], table),
  t({#{a=>1}}, [{{#{}},[],[ok]}], table),
  t({#{a=>1}}, [{{#{a=>'_'}},[],[ok]}], table),
  t({#{a=>1}}, [{{#{a=>'$1', b=>'$2'}},[],[ok]}], table),
  t({1}, [{{'$1'},[],[#{'$1' => a, 1 => b}]}], table),
  t({a}, [{'_',[],[{float, 1}, {abs, -3}, {round, 2.5}, {trunc, -2.5}]}], table),
  t([a], [{['$1'],[],[{message,{{'$1', {node}}}}]}], trace),
  ok.
