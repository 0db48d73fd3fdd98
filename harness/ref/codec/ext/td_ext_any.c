/*
 * Any extension by type: the one switch between an ExtensionType and its
 * codec. Types with no typed codec (unknown ones, GREASE values of RFC
 * 8701, and the registered ones tlsdiff keeps opaque) come back with
 * known = 0 and their bytes in `opaque`; RFC 8446 4.2 has the receiver
 * ignore extensions it does not recognise.
 */
#include "td_ext.h"

#include <string.h>

td_err td_ext_any_decode(uint16_t type, td_span data, td_ext_ctx ctx,
                         td_ext_any *out)
{
    td_ext_any a;

    memset(&a, 0, sizeof a);
    a.type = type;
    a.known = 1;
    a.opaque = data;
    switch (type) {
    case TD_EXT_SERVER_NAME:
        TRY(td_ext_server_name_decode(data, ctx, &a.u.server_name));
        break;
    case TD_EXT_MAX_FRAGMENT_LENGTH:
        TRY(td_ext_max_fragment_length_decode(data, ctx,
                                              &a.u.max_fragment_length));
        break;
    case TD_EXT_STATUS_REQUEST:
        TRY(td_ext_status_request_decode(data, ctx, &a.u.status_request));
        break;
    case TD_EXT_SUPPORTED_GROUPS:
        TRY(td_ext_supported_groups_decode(data, ctx, &a.u.supported_groups));
        break;
    case TD_EXT_EC_POINT_FORMATS:
        TRY(td_ext_ec_point_formats_decode(data, ctx, &a.u.ec_point_formats));
        break;
    case TD_EXT_SIGNATURE_ALGORITHMS:
    case TD_EXT_SIGNATURE_ALGORITHMS_CERT:
        TRY(td_ext_signature_algorithms_decode(data, ctx,
                                               &a.u.signature_algorithms));
        break;
    case TD_EXT_ALPN:
        TRY(td_ext_alpn_decode(data, ctx, &a.u.alpn));
        break;
    case TD_EXT_EXTENDED_MASTER_SECRET:
    case TD_EXT_ENCRYPT_THEN_MAC:
    case TD_EXT_POST_HANDSHAKE_AUTH:
        TRY(td_ext_empty_decode(type, data, ctx));
        break;
    case TD_EXT_SESSION_TICKET:
        TRY(td_ext_session_ticket_decode(data, ctx, &a.u.session_ticket));
        break;
    case TD_EXT_RENEGOTIATION_INFO:
        TRY(td_ext_renegotiation_info_decode(data, ctx,
                                             &a.u.renegotiation_info));
        break;
    case TD_EXT_SUPPORTED_VERSIONS:
        TRY(td_ext_supported_versions_decode(data, ctx,
                                             &a.u.supported_versions));
        break;
    case TD_EXT_KEY_SHARE:
        TRY(td_ext_key_share_decode(data, ctx, &a.u.key_share));
        break;
    case TD_EXT_PSK_KEY_EXCHANGE_MODES:
        TRY(td_ext_psk_key_exchange_modes_decode(
            data, ctx, &a.u.psk_key_exchange_modes));
        break;
    case TD_EXT_PRE_SHARED_KEY:
        TRY(td_ext_pre_shared_key_decode(data, ctx, &a.u.pre_shared_key));
        break;
    case TD_EXT_EARLY_DATA:
        TRY(td_ext_early_data_decode(data, ctx, &a.u.early_data));
        break;
    case TD_EXT_COOKIE:
        TRY(td_ext_cookie_decode(data, ctx, &a.u.cookie));
        break;
    case TD_EXT_PADDING:
        TRY(td_ext_padding_decode(data, ctx, &a.u.padding));
        break;
    case TD_EXT_RECORD_SIZE_LIMIT:
        TRY(td_ext_record_size_limit_decode(data, ctx,
                                            &a.u.record_size_limit));
        break;
    case TD_EXT_CERTIFICATE_AUTHORITIES:
        TRY(td_ext_certificate_authorities_decode(
            data, ctx, &a.u.certificate_authorities));
        break;
    default:
        a.known = 0;
        break;
    }
    *out = a;
    return TD_OK;
}

td_err td_ext_any_encode(td_wr *wr, td_ext_ctx ctx, const td_ext_any *in)
{
    if (!in->known)
        return td_wr_span(wr, in->opaque);
    switch (in->type) {
    case TD_EXT_SERVER_NAME:
        return td_ext_server_name_encode(wr, ctx, &in->u.server_name);
    case TD_EXT_MAX_FRAGMENT_LENGTH:
        return td_ext_max_fragment_length_encode(wr, ctx,
                                                 &in->u.max_fragment_length);
    case TD_EXT_STATUS_REQUEST:
        return td_ext_status_request_encode(wr, ctx, &in->u.status_request);
    case TD_EXT_SUPPORTED_GROUPS:
        return td_ext_supported_groups_encode(wr, ctx,
                                              &in->u.supported_groups);
    case TD_EXT_EC_POINT_FORMATS:
        return td_ext_ec_point_formats_encode(wr, ctx,
                                              &in->u.ec_point_formats);
    case TD_EXT_SIGNATURE_ALGORITHMS:
    case TD_EXT_SIGNATURE_ALGORITHMS_CERT:
        return td_ext_signature_algorithms_encode(
            wr, ctx, &in->u.signature_algorithms);
    case TD_EXT_ALPN:
        return td_ext_alpn_encode(wr, ctx, &in->u.alpn);
    case TD_EXT_EXTENDED_MASTER_SECRET:
    case TD_EXT_ENCRYPT_THEN_MAC:
    case TD_EXT_POST_HANDSHAKE_AUTH:
        return td_ext_empty_encode(wr, in->type, ctx);
    case TD_EXT_SESSION_TICKET:
        return td_ext_session_ticket_encode(wr, ctx, &in->u.session_ticket);
    case TD_EXT_RENEGOTIATION_INFO:
        return td_ext_renegotiation_info_encode(wr, ctx,
                                                &in->u.renegotiation_info);
    case TD_EXT_SUPPORTED_VERSIONS:
        return td_ext_supported_versions_encode(wr, ctx,
                                                &in->u.supported_versions);
    case TD_EXT_KEY_SHARE:
        return td_ext_key_share_encode(wr, ctx, &in->u.key_share);
    case TD_EXT_PSK_KEY_EXCHANGE_MODES:
        return td_ext_psk_key_exchange_modes_encode(
            wr, ctx, &in->u.psk_key_exchange_modes);
    case TD_EXT_PRE_SHARED_KEY:
        return td_ext_pre_shared_key_encode(wr, ctx, &in->u.pre_shared_key);
    case TD_EXT_EARLY_DATA:
        return td_ext_early_data_encode(wr, ctx, &in->u.early_data);
    case TD_EXT_COOKIE:
        return td_ext_cookie_encode(wr, ctx, &in->u.cookie);
    case TD_EXT_PADDING:
        return td_ext_padding_encode(wr, ctx, &in->u.padding);
    case TD_EXT_RECORD_SIZE_LIMIT:
        return td_ext_record_size_limit_encode(wr, ctx,
                                               &in->u.record_size_limit);
    case TD_EXT_CERTIFICATE_AUTHORITIES:
        return td_ext_certificate_authorities_encode(
            wr, ctx, &in->u.certificate_authorities);
    default:
        return TD_ERR_INTERNAL;
    }
}
