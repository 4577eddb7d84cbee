%% A module that handles calls to its undefined functions (compiled by make_beams.sh).
-module(cv_undef).
-export([known/0, '$handle_undefined_function'/2]).

known() -> known.

'$handle_undefined_function'(F, Args) -> {handled, F, Args}.
