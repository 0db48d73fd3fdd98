/* The post_handshake target: td_target "post_handshake"
 * (harness/peer/td_target.c): a message the peer sends once both ends
 * are connected (td_peer_send_post_handshake: KeyUpdate,
 * NewSessionTicket, CertificateRequest, HelloRequest, a renegotiation
 * ClientHello), edited (td_edit_mutate), then application data both
 * ways (td_peer_run). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("post_handshake")
