/* The server_certificate_verify target: td_target "server_certificate_verify" (harness/peer/td_target.c). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("server_certificate_verify")
