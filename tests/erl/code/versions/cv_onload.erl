%% Compiled by make_beams.sh with -DRESULT=ok and -DRESULT=error (module cv_onload)
-module(cv_onload).
-on_load(init/0).
-export([get/0]).

init() ->
    put(cv_onload_ran, true),
    ?RESULT.

get() -> loaded.
