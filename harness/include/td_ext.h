/*
 * td_ext: the extension codecs of the reference implementation.
 *
 * An extension block (RFC 8446 4.2) is kept as the span of its body; the
 * block codec (codec/ext/td_ext_block.c) checks the framing and the rules
 * that hold across the block, and td_ext_iter walks it. Each extension
 * that tlsdiff knows has its own file in codec/ext/ with a typed struct,
 * a decoder of its extension_data and an encoder of the same bytes.
 *
 * An extension's wire form depends on the message that carries it
 * (key_share is a list in ClientHello, one entry in ServerHello, a bare
 * group in HelloRetryRequest), so every decoder and encoder takes the
 * context: the td_ext_ctx of the block it sits in.
 *
 * Rules for every extension codec:
 *   - decoders are pure: extension_data in, a struct of scalars and spans
 *     into extension_data out; every byte must be consumed (td_rd_done);
 *   - a failed decode leaves *out untouched and returns the alert the
 *     receiver sends, with the RFC clause next to the check;
 *   - encoders write extension_data only (not the type or its length) and
 *     produce exactly the bytes the decoder read: encode(decode(x)) == x;
 *   - encoders are permissive: they write what the struct holds, in the
 *     wire form of the context (the fields of that form only: those of
 *     the other forms, counts and other decode-only outputs are not read),
 *     whether or not the decoder would accept it, so that a test can put
 *     any representable value on the wire. They fail only when there is
 *     no wire form: TD_ERR_INTERNAL for a length longer than its prefix
 *     can express (for a field with no prefix of its own, the
 *     extension_data<0..2^16-1> length), a fixed-size field of the wrong
 *     size, or a context in which the extension has no form;
 *     TD_ERR_NOSPACE when the writer is too small. On error the writer is
 *     unchanged;
 *   - list-valued fields are kept as the span of the list body, with the
 *     element syntax checked on decode; iterators walk them;
 *   - where an extension may appear is the RFC 8446 4.2 table of
 *     td_ext_allowed and nothing else: every decoder starts with
 *     td_ext_form_check (a context in which the extension has no form is
 *     illegal_parameter), every encoder with the same table (TD_ERR_INTERNAL
 *     there); a codec only picks which of its forms applies.
 * Unknown extensions (and GREASE, RFC 8701) are not decoded: the block
 * keeps them as opaque bytes.
 */
#ifndef TD_EXT_H
#define TD_EXT_H

#include "td_bytes.h"
#include "td_err.h"

#include <stddef.h>
#include <stdint.h>

/* ExtensionType (IANA TLS ExtensionType Values). */
enum {
    TD_EXT_SERVER_NAME = 0,                 /* RFC 6066 3 */
    TD_EXT_MAX_FRAGMENT_LENGTH = 1,         /* RFC 6066 4 */
    TD_EXT_STATUS_REQUEST = 5,              /* RFC 6066 8, RFC 8446 4.4.2.1 */
    TD_EXT_SUPPORTED_GROUPS = 10,           /* RFC 8446 4.2.7, RFC 8422 5.1.1 */
    TD_EXT_EC_POINT_FORMATS = 11,           /* RFC 8422 5.1.2 */
    TD_EXT_SIGNATURE_ALGORITHMS = 13,       /* RFC 8446 4.2.3 */
    TD_EXT_USE_SRTP = 14,                   /* RFC 5764 (opaque here) */
    TD_EXT_HEARTBEAT = 15,                  /* RFC 6520 (opaque here) */
    TD_EXT_ALPN = 16,                       /* RFC 7301 3.1 */
    TD_EXT_SIGNED_CERTIFICATE_TIMESTAMP = 18, /* RFC 6962 (opaque here) */
    TD_EXT_CLIENT_CERTIFICATE_TYPE = 19,    /* RFC 7250 (opaque here) */
    TD_EXT_SERVER_CERTIFICATE_TYPE = 20,    /* RFC 7250 (opaque here) */
    TD_EXT_PADDING = 21,                    /* RFC 7685 */
    TD_EXT_ENCRYPT_THEN_MAC = 22,           /* RFC 7366 2 */
    TD_EXT_EXTENDED_MASTER_SECRET = 23,     /* RFC 7627 5.1 */
    TD_EXT_RECORD_SIZE_LIMIT = 28,          /* RFC 8449 4 */
    TD_EXT_SESSION_TICKET = 35,             /* RFC 5077 3.2 */
    TD_EXT_PRE_SHARED_KEY = 41,             /* RFC 8446 4.2.11 */
    TD_EXT_EARLY_DATA = 42,                 /* RFC 8446 4.2.10 */
    TD_EXT_SUPPORTED_VERSIONS = 43,         /* RFC 8446 4.2.1 */
    TD_EXT_COOKIE = 44,                     /* RFC 8446 4.2.2 */
    TD_EXT_PSK_KEY_EXCHANGE_MODES = 45,     /* RFC 8446 4.2.9 */
    TD_EXT_CERTIFICATE_AUTHORITIES = 47,    /* RFC 8446 4.2.4 */
    TD_EXT_OID_FILTERS = 48,                /* RFC 8446 4.2.5 (opaque here) */
    TD_EXT_POST_HANDSHAKE_AUTH = 49,        /* RFC 8446 4.2.6 */
    TD_EXT_SIGNATURE_ALGORITHMS_CERT = 50,  /* RFC 8446 4.2.3 */
    TD_EXT_KEY_SHARE = 51,                  /* RFC 8446 4.2.8 */
    TD_EXT_RENEGOTIATION_INFO = 0xff01,     /* RFC 5746 3.2 */
};

/* The message an extension block sits in: the columns of the RFC 8446 4.2
 * table, plus the TLS 1.2 ServerHello (RFC 5246 7.4.1.4). */
typedef enum td_ext_ctx {
    TD_EXT_CTX_CLIENT_HELLO = 0,         /* CH, TLS 1.2 and 1.3 */
    TD_EXT_CTX_SERVER_HELLO12,           /* ServerHello without supported_versions */
    TD_EXT_CTX_SERVER_HELLO13,           /* SH */
    TD_EXT_CTX_HELLO_RETRY_REQUEST,      /* HRR */
    TD_EXT_CTX_ENCRYPTED_EXTENSIONS,     /* EE */
    TD_EXT_CTX_CERTIFICATE,              /* CT: a TLS 1.3 CertificateEntry */
    TD_EXT_CTX_CERTIFICATE_REQUEST,      /* CR: TLS 1.3 */
    TD_EXT_CTX_NEW_SESSION_TICKET,       /* NST: TLS 1.3 */
    TD_EXT_CTX_COUNT
} td_ext_ctx;

const char *td_ext_ctx_name(td_ext_ctx ctx);

/* "key_share", or NULL when tlsdiff has no name for the type. */
const char *td_ext_name(uint16_t type);

/* RFC 8701 GREASE: 0x0a0a, 0x1a1a, ... 0xfafa. */
int td_ext_is_grease(uint16_t type);

/* ------------------------------------------------------------------------
 * Extension blocks (RFC 8446 4.2, RFC 5246 7.4.1.4)
 *
 *     struct {
 *         ExtensionType extension_type;
 *         opaque extension_data<0..2^16-1>;
 *     } Extension;
 *
 *     Extension extensions<min..2^16-1>;
 * ------------------------------------------------------------------------ */

/* Read `Extension extensions<min..2^16-1>` from rd and check it as a block
 * of context ctx; *out is the body (the list without its length prefix).
 * On error rd and *out are unchanged.
 *   decode_error       framing: lengths, truncation, a known extension
 *                      whose body does not decode (the extension's own
 *                      alert is returned when it names another)
 *   illegal_parameter  the same type twice (RFC 8446 4.2, RFC 5246
 *                      7.4.1.4); a known extension the RFC 8446 4.2 table
 *                      does not allow in ctx (RFC 8446 4.2); in a
 *                      ClientHello, pre_shared_key not last (RFC 8446
 *                      4.2.11) */
TD_MUST_USE td_err td_ext_block_decode(td_rd *rd, td_ext_ctx ctx, size_t min,
                                       td_span *out);

/* The same checks on a block body already framed (used by decoders that
 * got the body some other way, and by tests). */
TD_MUST_USE td_err td_ext_block_check(td_span body, td_ext_ctx ctx);

/* Whether the RFC 8446 4.2 table (and RFC 5246 for TLS 1.2 extensions)
 * allows a known type in ctx. Unknown types are allowed everywhere: the
 * receiver ignores them (RFC 8446 4.1.2, 4.2), except that the client
 * checks a server's extensions against what it offered (RFC 8446 4.2:
 * unsupported_extension), which depends on the connection and is not the
 * codec's job. */
int td_ext_allowed(uint16_t type, td_ext_ctx ctx);

/* The check every typed codec makes first, from the same table:
 * TD_ERR_INTERNAL for a ctx outside td_ext_ctx (a caller bug),
 * illegal_parameter when `type` has no form in ctx (RFC 8446 4.2). */
TD_MUST_USE td_err td_ext_form_check(uint16_t type, td_ext_ctx ctx);

/* Walk a checked block body. */
typedef struct td_ext_iter {
    td_rd rd;
} td_ext_iter;

void td_ext_iter_init(td_ext_iter *it, td_span body);
/* *got = 1 and the next extension, or *got = 0 at the end.
 * decode_error on broken framing (never after td_ext_block_check). */
TD_MUST_USE td_err td_ext_iter_next(td_ext_iter *it, uint16_t *type,
                                    td_span *data, int *got);

/* The extension_data of `type` in a checked block: 1 if present. */
int td_ext_find(td_span body, uint16_t type, td_span *data);

/* Write one extension: type, then extension_data as a vec16. */
TD_MUST_USE td_err td_ext_write(td_wr *wr, uint16_t type, td_span data);

/* ------------------------------------------------------------------------
 * Typed extensions, one file each in codec/ext/.
 *
 * td_ext_<name>_decode(data, ctx, out): extension_data -> struct.
 * td_ext_<name>_encode(wr, ctx, in): struct -> extension_data.
 * ------------------------------------------------------------------------ */

/* server_name (RFC 6066 3). CH: ServerNameList server_name_list<1..2^16-1>
 * of ServerName { NameType name_type; HostName host_name<1..2^16-1> }.
 * SH (1.2) / EE: empty extension_data. */
enum { TD_SNI_HOST_NAME = 0 };
typedef struct td_ext_server_name {
    td_span server_name_list; /* CH: the list body; server forms: empty */
    td_span host_name;        /* CH: the host_name entry */
} td_ext_server_name;
TD_MUST_USE td_err td_ext_server_name_decode(td_span data, td_ext_ctx ctx,
                                             td_ext_server_name *out);
TD_MUST_USE td_err td_ext_server_name_encode(td_wr *wr, td_ext_ctx ctx,
                                             const td_ext_server_name *in);

/* max_fragment_length (RFC 6066 4): one byte, 2^9(1) .. 2^12(4). */
typedef struct td_ext_max_fragment_length {
    uint8_t max_fragment_length;
} td_ext_max_fragment_length;
TD_MUST_USE td_err td_ext_max_fragment_length_decode(
    td_span data, td_ext_ctx ctx, td_ext_max_fragment_length *out);
TD_MUST_USE td_err td_ext_max_fragment_length_encode(
    td_wr *wr, td_ext_ctx ctx, const td_ext_max_fragment_length *in);

/* status_request (RFC 6066 8; RFC 8446 4.4.2.1).
 * CH: CertificateStatusRequest { status_type; ocsp: OCSPStatusRequest
 *          { ResponderID responder_id_list<0..2^16-1>;
 *            Extensions request_extensions (opaque<0..2^16-1>) } }.
 * SH (1.2) and CR: empty (RFC 8446 4.4.2.1: a server "MAY request that a
 *          client present an OCSP response ... by sending an empty
 *          status_request extension in its CertificateRequest").
 * CT: CertificateStatus { status_type; ocsp: OCSPResponse
 *          ocsp_response<1..2^24-1> }. */
enum { TD_STATUS_TYPE_OCSP = 1 };
typedef struct td_ext_status_request {
    uint8_t status_type;        /* 0 in the empty form */
    td_span responder_id_list;  /* request forms: list body */
    td_span request_extensions; /* request forms */
    td_span ocsp_response;      /* CT form */
} td_ext_status_request;
TD_MUST_USE td_err td_ext_status_request_decode(td_span data, td_ext_ctx ctx,
                                                td_ext_status_request *out);
TD_MUST_USE td_err td_ext_status_request_encode(
    td_wr *wr, td_ext_ctx ctx, const td_ext_status_request *in);

/* supported_groups (RFC 8446 4.2.7): NamedGroup named_group_list<2..2^16-1>. */
typedef struct td_ext_supported_groups {
    td_span named_group_list; /* body: uint16 values */
} td_ext_supported_groups;
TD_MUST_USE td_err td_ext_supported_groups_decode(
    td_span data, td_ext_ctx ctx, td_ext_supported_groups *out);
TD_MUST_USE td_err td_ext_supported_groups_encode(
    td_wr *wr, td_ext_ctx ctx, const td_ext_supported_groups *in);

/* ec_point_formats (RFC 8422 5.1.2): ECPointFormat ec_point_format_list<1..2^8-1>. */
typedef struct td_ext_ec_point_formats {
    td_span ec_point_format_list;
} td_ext_ec_point_formats;
TD_MUST_USE td_err td_ext_ec_point_formats_decode(
    td_span data, td_ext_ctx ctx, td_ext_ec_point_formats *out);
TD_MUST_USE td_err td_ext_ec_point_formats_encode(
    td_wr *wr, td_ext_ctx ctx, const td_ext_ec_point_formats *in);

/* signature_algorithms and signature_algorithms_cert (RFC 8446 4.2.3):
 * SignatureScheme supported_signature_algorithms<2..2^16-2>. One struct and
 * one file serve both types. */
typedef struct td_ext_signature_algorithms {
    td_span supported_signature_algorithms; /* body: uint16 values */
} td_ext_signature_algorithms;
TD_MUST_USE td_err td_ext_signature_algorithms_decode(
    td_span data, td_ext_ctx ctx, td_ext_signature_algorithms *out);
TD_MUST_USE td_err td_ext_signature_algorithms_encode(
    td_wr *wr, td_ext_ctx ctx, const td_ext_signature_algorithms *in);

/* application_layer_protocol_negotiation (RFC 7301 3.1):
 * ProtocolName protocol_name_list<2..2^16-1>, ProtocolName<1..2^8-1>.
 * Server forms carry exactly one name. */
typedef struct td_ext_alpn {
    td_span protocol_name_list; /* body */
    size_t count;               /* names in it */
} td_ext_alpn;
TD_MUST_USE td_err td_ext_alpn_decode(td_span data, td_ext_ctx ctx,
                                      td_ext_alpn *out);
TD_MUST_USE td_err td_ext_alpn_encode(td_wr *wr, td_ext_ctx ctx,
                                      const td_ext_alpn *in);

/* Extensions whose extension_data is empty in every form:
 * extended_master_secret (RFC 7627 5.1), encrypt_then_mac (RFC 7366 2),
 * post_handshake_auth (RFC 8446 4.2.6). Non-empty is decode_error. */
TD_MUST_USE td_err td_ext_empty_decode(uint16_t type, td_span data,
                                       td_ext_ctx ctx);
TD_MUST_USE td_err td_ext_empty_encode(td_wr *wr, uint16_t type,
                                       td_ext_ctx ctx);

/* session_ticket (RFC 5077 3.2): CH: the ticket (may be empty); SH: empty. */
typedef struct td_ext_session_ticket {
    td_span ticket;
} td_ext_session_ticket;
TD_MUST_USE td_err td_ext_session_ticket_decode(td_span data, td_ext_ctx ctx,
                                                td_ext_session_ticket *out);
TD_MUST_USE td_err td_ext_session_ticket_encode(
    td_wr *wr, td_ext_ctx ctx, const td_ext_session_ticket *in);

/* renegotiation_info (RFC 5746 3.2): opaque renegotiated_connection<0..255>. */
typedef struct td_ext_renegotiation_info {
    td_span renegotiated_connection;
} td_ext_renegotiation_info;
TD_MUST_USE td_err td_ext_renegotiation_info_decode(
    td_span data, td_ext_ctx ctx, td_ext_renegotiation_info *out);
TD_MUST_USE td_err td_ext_renegotiation_info_encode(
    td_wr *wr, td_ext_ctx ctx, const td_ext_renegotiation_info *in);

/* supported_versions (RFC 8446 4.2.1). CH: ProtocolVersion versions<2..254>;
 * SH / HRR: ProtocolVersion selected_version. */
typedef struct td_ext_supported_versions {
    td_span versions;          /* CH: body, uint16 values */
    uint16_t selected_version; /* SH, HRR */
} td_ext_supported_versions;
TD_MUST_USE td_err td_ext_supported_versions_decode(
    td_span data, td_ext_ctx ctx, td_ext_supported_versions *out);
TD_MUST_USE td_err td_ext_supported_versions_encode(
    td_wr *wr, td_ext_ctx ctx, const td_ext_supported_versions *in);

/* key_share (RFC 8446 4.2.8).
 *     struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry;
 * CH: KeyShareEntry client_shares<0..2^16-1>; HRR: NamedGroup
 * selected_group; SH: KeyShareEntry server_share. */
typedef struct td_key_share_entry {
    uint16_t group;
    td_span key_exchange;
} td_key_share_entry;
typedef struct td_ext_key_share {
    td_span client_shares;           /* CH: list body */
    size_t count;                    /* CH: entries in it */
    uint16_t selected_group;         /* HRR */
    td_key_share_entry server_share; /* SH */
} td_ext_key_share;
TD_MUST_USE td_err td_ext_key_share_decode(td_span data, td_ext_ctx ctx,
                                           td_ext_key_share *out);
TD_MUST_USE td_err td_ext_key_share_encode(td_wr *wr, td_ext_ctx ctx,
                                           const td_ext_key_share *in);
/* Walk client_shares (already checked by decode): *got = 0 at the end. */
TD_MUST_USE td_err td_key_share_entry_next(td_rd *list, td_key_share_entry *e,
                                           int *got);
TD_MUST_USE td_err td_key_share_entry_encode(td_wr *wr,
                                             const td_key_share_entry *e);

/* psk_key_exchange_modes (RFC 8446 4.2.9): PskKeyExchangeMode ke_modes<1..255>. */
enum { TD_PSK_KE = 0, TD_PSK_DHE_KE = 1 };
typedef struct td_ext_psk_key_exchange_modes {
    td_span ke_modes;
} td_ext_psk_key_exchange_modes;
TD_MUST_USE td_err td_ext_psk_key_exchange_modes_decode(
    td_span data, td_ext_ctx ctx, td_ext_psk_key_exchange_modes *out);
TD_MUST_USE td_err td_ext_psk_key_exchange_modes_encode(
    td_wr *wr, td_ext_ctx ctx, const td_ext_psk_key_exchange_modes *in);

/* pre_shared_key (RFC 8446 4.2.11).
 *     struct { opaque identity<1..2^16-1>; uint32 obfuscated_ticket_age; } PskIdentity;
 *     opaque PskBinderEntry<32..255>;
 *     struct { PskIdentity identities<7..2^16-1>;
 *              PskBinderEntry binders<33..2^16-1>; } OfferedPsks;
 * CH: OfferedPsks; SH: uint16 selected_identity. */
typedef struct td_psk_identity {
    td_span identity;
    uint32_t obfuscated_ticket_age;
} td_psk_identity;
typedef struct td_ext_pre_shared_key {
    td_span identities;          /* CH: list body */
    td_span binders;             /* CH: list body */
    size_t identity_count;       /* CH */
    size_t binder_count;         /* CH */
    uint16_t selected_identity;  /* SH */
} td_ext_pre_shared_key;
TD_MUST_USE td_err td_ext_pre_shared_key_decode(td_span data, td_ext_ctx ctx,
                                                td_ext_pre_shared_key *out);
TD_MUST_USE td_err td_ext_pre_shared_key_encode(
    td_wr *wr, td_ext_ctx ctx, const td_ext_pre_shared_key *in);
/* Walk identities / binders (already checked by decode). */
TD_MUST_USE td_err td_psk_identity_next(td_rd *list, td_psk_identity *e,
                                        int *got);
TD_MUST_USE td_err td_psk_binder_next(td_rd *list, td_span *binder, int *got);
/* The bytes of the binders list with its 2-byte length: what RFC 8446
 * 4.2.11.2 cuts off the end of the ClientHello for the binder hash. */
size_t td_ext_pre_shared_key_binders_len(const td_ext_pre_shared_key *psk);

/* early_data (RFC 8446 4.2.10). CH, EE: empty; NST: uint32
 * max_early_data_size. */
typedef struct td_ext_early_data {
    uint32_t max_early_data_size; /* NST */
} td_ext_early_data;
TD_MUST_USE td_err td_ext_early_data_decode(td_span data, td_ext_ctx ctx,
                                            td_ext_early_data *out);
TD_MUST_USE td_err td_ext_early_data_encode(td_wr *wr, td_ext_ctx ctx,
                                            const td_ext_early_data *in);

/* cookie (RFC 8446 4.2.2): opaque cookie<1..2^16-1>. */
typedef struct td_ext_cookie {
    td_span cookie;
} td_ext_cookie;
TD_MUST_USE td_err td_ext_cookie_decode(td_span data, td_ext_ctx ctx,
                                        td_ext_cookie *out);
TD_MUST_USE td_err td_ext_cookie_encode(td_wr *wr, td_ext_ctx ctx,
                                        const td_ext_cookie *in);

/* padding (RFC 7685 3): zero bytes. */
typedef struct td_ext_padding {
    td_span padding;
} td_ext_padding;
TD_MUST_USE td_err td_ext_padding_decode(td_span data, td_ext_ctx ctx,
                                         td_ext_padding *out);
TD_MUST_USE td_err td_ext_padding_encode(td_wr *wr, td_ext_ctx ctx,
                                         const td_ext_padding *in);

/* record_size_limit (RFC 8449 4): uint16 RecordSizeLimit, >= 64. */
typedef struct td_ext_record_size_limit {
    uint16_t record_size_limit;
} td_ext_record_size_limit;
TD_MUST_USE td_err td_ext_record_size_limit_decode(
    td_span data, td_ext_ctx ctx, td_ext_record_size_limit *out);
TD_MUST_USE td_err td_ext_record_size_limit_encode(
    td_wr *wr, td_ext_ctx ctx, const td_ext_record_size_limit *in);

/* certificate_authorities (RFC 8446 4.2.4):
 * DistinguishedName authorities<3..2^16-1>, DistinguishedName<1..2^16-1>. */
typedef struct td_ext_certificate_authorities {
    td_span authorities; /* body */
    size_t count;
} td_ext_certificate_authorities;
TD_MUST_USE td_err td_ext_certificate_authorities_decode(
    td_span data, td_ext_ctx ctx, td_ext_certificate_authorities *out);
TD_MUST_USE td_err td_ext_certificate_authorities_encode(
    td_wr *wr, td_ext_ctx ctx, const td_ext_certificate_authorities *in);
/* Walk a DistinguishedName list body (also used by the TLS 1.2
 * CertificateRequest): *got = 0 at the end. */
TD_MUST_USE td_err td_distinguished_name_next(td_rd *list, td_span *dn,
                                              int *got);

/* ------------------------------------------------------------------------
 * Any known extension, by type (codec/ext/td_ext_any.c)
 * ------------------------------------------------------------------------ */
typedef struct td_ext_any {
    uint16_t type;
    int known; /* 0: kept opaque, only `opaque` is set */
    td_span opaque;
    union {
        td_ext_server_name server_name;
        td_ext_max_fragment_length max_fragment_length;
        td_ext_status_request status_request;
        td_ext_supported_groups supported_groups;
        td_ext_ec_point_formats ec_point_formats;
        td_ext_signature_algorithms signature_algorithms; /* and _cert */
        td_ext_alpn alpn;
        td_ext_session_ticket session_ticket;
        td_ext_renegotiation_info renegotiation_info;
        td_ext_supported_versions supported_versions;
        td_ext_key_share key_share;
        td_ext_psk_key_exchange_modes psk_key_exchange_modes;
        td_ext_pre_shared_key pre_shared_key;
        td_ext_early_data early_data;
        td_ext_cookie cookie;
        td_ext_padding padding;
        td_ext_record_size_limit record_size_limit;
        td_ext_certificate_authorities certificate_authorities;
    } u;
} td_ext_any;

/* Decode extension_data of `type` in ctx. Types without a typed codec
 * (unknown, GREASE, the opaque ones above) give known = 0. */
TD_MUST_USE td_err td_ext_any_decode(uint16_t type, td_span data,
                                     td_ext_ctx ctx, td_ext_any *out);
/* Encode extension_data (known = 0: the opaque bytes). */
TD_MUST_USE td_err td_ext_any_encode(td_wr *wr, td_ext_ctx ctx,
                                     const td_ext_any *in);

#endif
