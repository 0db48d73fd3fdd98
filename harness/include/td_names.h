/*
 * Registry names of protocol versions, cipher suites, named groups and
 * signature schemes (IANA TLS parameters; RFC 8446 4.2.3 and 4.2.7, RFC 5246
 * A.5, RFC 5288, RFC 7905, RFC 8422, RFC 7919). One table each, used by the
 * profile parser and by every report.
 */
#ifndef TD_NAMES_H
#define TD_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "td_err.h"

/* ProtocolVersion values. */
#define TD_SSL3_0 0x0300
#define TD_TLS1_0 0x0301
#define TD_TLS1_1 0x0302
#define TD_TLS1_2 0x0303
#define TD_TLS1_3 0x0304

typedef struct td_name {
    uint16_t code;
    const char *name;
} td_name;

typedef enum { TD_NAMES_VERSION, TD_NAMES_SUITE, TD_NAMES_GROUP, TD_NAMES_SIGSCHEME } td_names_kind;

/* "TLS_AES_128_GCM_SHA256" for 0x1301; NULL if unknown. */
const char *td_name_of(td_names_kind kind, uint16_t code);
/* Like td_name_of but never NULL: "0x1a2b" for unknown codes. */
const char *td_name_or_hex(td_names_kind kind, uint16_t code);
/* Case-sensitive lookup by name, or a 0x-prefixed hex code. */
TD_MUST_USE td_err td_name_parse(td_names_kind kind, const char *name, uint16_t *code);
/* The whole table (for listings and exhaustive tests). */
const td_name *td_names_table(td_names_kind kind, size_t *count);

#endif
