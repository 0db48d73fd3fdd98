/*
 * td_err: one error type for the whole harness.
 *
 *   0            OK
 *   1..255       a TLS AlertDescription (RFC 8446 6, RFC 5246 7.2); the alert
 *                the reference implementation sends for this failure
 *   >= 0x200     internal errors that have no alert of their own
 *
 * A count is never carried in a td_err (STYLE.md).
 */
#ifndef TD_ERR_H
#define TD_ERR_H

#include <stdint.h>

typedef int td_err;

#define TD_MUST_USE __attribute__((warn_unused_result))

enum {
    TD_OK = 0,

    /* RFC 8446 6 / RFC 5246 7.2 AlertDescription */
    TD_ALERT_CLOSE_NOTIFY = 0,
    TD_ALERT_UNEXPECTED_MESSAGE = 10,
    TD_ALERT_BAD_RECORD_MAC = 20,
    TD_ALERT_DECRYPTION_FAILED = 21,
    TD_ALERT_RECORD_OVERFLOW = 22,
    TD_ALERT_DECOMPRESSION_FAILURE = 30,
    TD_ALERT_HANDSHAKE_FAILURE = 40,
    TD_ALERT_NO_CERTIFICATE = 41,
    TD_ALERT_BAD_CERTIFICATE = 42,
    TD_ALERT_UNSUPPORTED_CERTIFICATE = 43,
    TD_ALERT_CERTIFICATE_REVOKED = 44,
    TD_ALERT_CERTIFICATE_EXPIRED = 45,
    TD_ALERT_CERTIFICATE_UNKNOWN = 46,
    TD_ALERT_ILLEGAL_PARAMETER = 47,
    TD_ALERT_UNKNOWN_CA = 48,
    TD_ALERT_ACCESS_DENIED = 49,
    TD_ALERT_DECODE_ERROR = 50,
    TD_ALERT_DECRYPT_ERROR = 51,
    TD_ALERT_EXPORT_RESTRICTION = 60,
    TD_ALERT_PROTOCOL_VERSION = 70,
    TD_ALERT_INSUFFICIENT_SECURITY = 71,
    TD_ALERT_INTERNAL_ERROR = 80,
    TD_ALERT_INAPPROPRIATE_FALLBACK = 86,
    TD_ALERT_USER_CANCELED = 90,
    TD_ALERT_NO_RENEGOTIATION = 100,
    TD_ALERT_MISSING_EXTENSION = 109,
    TD_ALERT_UNSUPPORTED_EXTENSION = 110,
    TD_ALERT_CERTIFICATE_UNOBTAINABLE = 111,
    TD_ALERT_UNRECOGNIZED_NAME = 112,
    TD_ALERT_BAD_CERTIFICATE_STATUS_RESPONSE = 113,
    TD_ALERT_BAD_CERTIFICATE_HASH_VALUE = 114,
    TD_ALERT_UNKNOWN_PSK_IDENTITY = 115,
    TD_ALERT_CERTIFICATE_REQUIRED = 116,
    TD_ALERT_NO_APPLICATION_PROTOCOL = 120,

    /* internal errors: no alert of their own */
    TD_ERR_INTERNAL = 0x200, /* a bug in the harness */
    TD_ERR_NOSPACE,          /* a fixed maximum was exceeded */
    TD_ERR_IO,               /* a file or pipe could not be read or written */
    TD_ERR_SYNTAX,           /* a harness input file (profile, vector) is malformed */
    TD_ERR_NOT_FOUND,        /* a named thing (profile key, group, suite) is unknown */
    TD_ERR_CRYPTO,           /* a crypto primitive failed */
    TD_ERR_UNSUPPORTED,      /* valid, but not supported by this build */
    TD_ERR_LIBRARY,          /* the library under test failed without an alert */
};

/* Name of an error: "decode_error", "internal:nospace", or "unknown(N)". */
const char *td_err_name(td_err e);

/* True for 1..255 (an alert description). */
static inline int td_err_is_alert(td_err e) { return e > 0 && e < 256; }

/* The two control macros of STYLE.md: plain returns, no goto. */
#define TRY(expr)                                                              \
    do {                                                                       \
        td_err td_try_err_ = (expr);                                           \
        if (td_try_err_ != TD_OK)                                              \
            return td_try_err_;                                                \
    } while (0)

#define ENSURE(cond, err)                                                      \
    do {                                                                       \
        if (!(cond))                                                           \
            return (err);                                                      \
    } while (0)

#endif
