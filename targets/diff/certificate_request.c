/* The certificate_request target: td_target "certificate_request" (harness/peer/td_target.c). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("certificate_request")
