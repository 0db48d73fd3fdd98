/*
 * server_name: RFC 6066 3.
 *
 *     struct {
 *         NameType name_type;
 *         select (name_type) {
 *             case host_name: HostName;
 *         } name;
 *     } ServerName;
 *
 *     enum {
 *         host_name(0), (255)
 *     } NameType;
 *
 *     opaque HostName<1..2^16-1>;
 *
 *     struct {
 *         ServerName server_name_list<1..2^16-1>
 *     } ServerNameList;
 *
 * ClientHello: extension_data is a ServerNameList. Server forms (TLS 1.2
 * ServerHello, TLS 1.3 EncryptedExtensions): "The "extension_data" field of
 * this extension SHALL be empty." (RFC 6066 3; RFC 8446 4.2 table: CH, EE).
 *
 * Only host_name(0) is defined. RFC 6066 3 asks future name types to "begin
 * with a 16-bit length", which does not say that the length covers the
 * whole structure, so an entry of another type cannot be delimited: it is
 * decode_error, as the list cannot be parsed past it.
 *
 * What a host name may contain (no trailing dot, no IP literal, RFC 6066
 * 3) is the server's concern when it matches the name, not the codec's.
 *
 * The encoder writes what it is given: in the ClientHello the list body
 * when it is set (host_name is then an output of decode only), otherwise
 * a one-entry list built from host_name, even an empty one; in the server
 * forms the empty extension_data, which has no field to write.
 */
#include "../td_codec_impl.h"

#include <string.h>

/* Check a ServerNameList body (without its length prefix); *host_name is
 * the body of its host_name entry. Syntax is checked over the whole list
 * before the duplicate rule, so a malformed list is always decode_error. */
static td_err sni_list_check(td_span list, td_span *host_name)
{
    td_rd r;
    td_span host = {NULL, 0};
    size_t hosts = 0;
    uint8_t name_type;

    td_rd_init_span(&r, list);
    while (td_rd_left(&r) > 0) {
        TRY(td_rd_u8(&r, &name_type));
        /* RFC 6066 3: host_name(0) is the only NameType; the select has no
         * arm for another, so its entry cannot be read (RFC 8446 6:
         * decode_error, "a message could not be decoded"). */
        ENSURE(name_type == TD_SNI_HOST_NAME, TD_ALERT_DECODE_ERROR);
        /* RFC 6066 3: opaque HostName<1..2^16-1> */
        TRY(td_codec_vec_read(&r, 2, 1, 0xffff, 1, &host));
        hosts++;
    }
    /* RFC 6066 3: "The ServerNameList MUST NOT contain more than one name
     * of the same name_type." No alert is named; the list is well formed
     * but inconsistent, which is illegal_parameter (RFC 8446 6.2: "a field
     * in the handshake was incorrect or inconsistent with other fields";
     * RFC 5246 7.2.2). */
    ENSURE(hosts <= 1, TD_ALERT_ILLEGAL_PARAMETER);
    /* server_name_list<1..2^16-1> is checked by the caller, and a
     * non-empty list that parsed holds at least one entry */
    ENSURE(hosts == 1, TD_ALERT_DECODE_ERROR);
    *host_name = host;
    return TD_OK;
}

td_err td_ext_server_name_decode(td_span data, td_ext_ctx ctx,
                                 td_ext_server_name *out)
{
    td_ext_server_name v;
    td_rd r;

    TRY(td_ext_form_check(TD_EXT_SERVER_NAME, ctx));
    memset(&v, 0, sizeof v);
    td_rd_init_span(&r, data);
    if (ctx == TD_EXT_CTX_CLIENT_HELLO) {
        /* RFC 6066 3: ServerName server_name_list<1..2^16-1> */
        TRY(td_codec_vec_read(&r, 2, 1, 0xffff, 1, &v.server_name_list));
        TRY(sni_list_check(v.server_name_list, &v.host_name));
    }
    /* RFC 6066 3: the server's extension_data (TLS 1.2 ServerHello,
     * EncryptedExtensions) "SHALL be empty"; in every form, bytes past the
     * structure are a wrong length (RFC 8446 6) */
    TRY(td_rd_done(&r));
    *out = v;
    return TD_OK;
}

td_err td_ext_server_name_encode(td_wr *wr, td_ext_ctx ctx,
                                 const td_ext_server_name *in)
{
    td_wr w = *wr;
    td_wr_mark m;

    TRY(td_ext_encode_check(TD_EXT_SERVER_NAME, ctx));
    if (ctx != TD_EXT_CTX_CLIENT_HELLO)
        return TD_OK; /* RFC 6066 3: the server form is empty */
    if (in->server_name_list.len > 0)
        return td_codec_vec_write(wr, 2, in->server_name_list);
    /* name_type (1) + HostName prefix (2) + the name, within the list's
     * 2-byte length */
    ENSURE(in->host_name.len <= 0xffff - 3, TD_ERR_INTERNAL);
    TRY(td_wr_open16(&w, &m));
    TRY(td_wr_u8(&w, TD_SNI_HOST_NAME));
    TRY(td_codec_vec_write(&w, 2, in->host_name));
    TRY(td_wr_close(&w, &m));
    *wr = w;
    return TD_OK;
}
