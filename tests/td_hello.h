/* A minimal, test-only walk over a plaintext ClientHello or ServerHello
 * record (RFC 8446 4.1.2, 4.1.3), to check what the subjects sent without
 * trusting the code under test. */
#ifndef TD_HELLO_H
#define TD_HELLO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct td_hello_view {
    uint16_t legacy_version;
    const uint8_t *random; /* 32 bytes */
    size_t n_ext;
    uint16_t ext_type[64];
} td_hello_view;

/* rec: a record (5-byte header) holding one Hello. False if malformed. */
bool td_hello_view_parse(const uint8_t *rec, size_t len, td_hello_view *v);
bool td_hello_has_ext(const td_hello_view *v, uint16_t type);

/* RFC 8446 4.1.3: the ServerHello.random of a HelloRetryRequest, defined
 * by the ServerHello codec (td_msg.h). */
extern const uint8_t td_hrr_random[32];

#endif
