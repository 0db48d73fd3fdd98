/*
 * The server's first ClientHello: decode it, pick the protocol version,
 * and hand over to TLS 1.3 (td_hs_server13.c) or TLS 1.2
 * (td_hs_server12.c).
 *
 * RFC 8446 4.2.1 (supported_versions):
 *   "If this extension is present in the ClientHello, servers MUST NOT
 *    use the ClientHello.legacy_version value for version negotiation and
 *    MUST use only the "supported_versions" extension to determine client
 *    preferences. Servers MUST only select a version of TLS present in
 *    that extension and MUST ignore any unknown versions that are present
 *    in that extension."
 *   "If this extension is not present, servers which are compliant with
 *    this specification and which also support TLS 1.2 MUST negotiate
 *    TLS 1.2 or prior as specified in [RFC5246], even if
 *    ClientHello.legacy_version is 0x0304 or later."
 * RFC 8446 D.2: "If the "supported_versions" extension is absent and the
 *   server only supports versions greater than ClientHello.legacy_version,
 *   the server MUST abort the handshake with a "protocol_version" alert."
 * RFC 8446 D.5: "Any endpoint receiving a Hello message with
 *   ClientHello.legacy_version or ServerHello.legacy_version set to 0x0300
 *   MUST abort the handshake with a "protocol_version" alert."
 * RFC 8996 4, 5: TLS 1.0 and 1.1 are not negotiated (protocol_version).
 * RFC 7507 3: "If TLS_FALLBACK_SCSV appears in ClientHello.cipher_suites
 *   and the highest protocol version supported by the server is higher
 *   than the version indicated in ClientHello.client_version, the server
 *   MUST respond with a fatal inappropriate_fallback alert".
 * RFC 8446 4.1.3: "If negotiating TLS 1.2, TLS 1.3 servers MUST set the
 *   last 8 bytes of their Random value to the bytes:
 *     44 4F 57 4E 47 52 44 01"
 *
 * Hand-over contract with td_srv12_on_client_hello: on entry
 * c->params.version is 0x0303 and c->client_random holds
 * ClientHello.random. The TLS 1.2 server draws ServerHello.random
 * (TD_DRAW_RANDOM, once) and, when this server also speaks TLS 1.3
 * (cfg->max_version >= 0x0304), writes the RFC 8446 4.1.3 sentinel into
 * its last 8 bytes.
 */
#include "td_hs.h"
#include "td_hs_server13.h"

#include <string.h>

#define TLS_FALLBACK_SCSV 0x5600u /* RFC 7507 6 */

/* The versions this server speaks: [lo, hi], never below TLS 1.2 (issue
 * 4: SSL 3.0, TLS 1.0 and 1.1 are refused) nor above TLS 1.3. */
static void our_range(const td_conn *c, uint16_t *lo, uint16_t *hi)
{
    uint16_t min = c->cfg->min_version, max = c->cfg->max_version;

    if (max == 0 || max > 0x0304)
        max = 0x0304;
    if (min < 0x0303)
        min = 0x0303;
    *lo = min;
    *hi = max;
}

/* The version to negotiate (*version) and the highest version the client
 * says it speaks (*client_max, for RFC 7507). */
static td_err pick_version(const td_conn *c, const td_client_hello *ch,
                           uint16_t *version, uint16_t *client_max)
{
    uint16_t lo, hi, best = 0, top = 0;
    td_span data;

    our_range(c, &lo, &hi);
    /* RFC 8446 D.5: legacy_version 0x0300 or less */
    ENSURE(ch->legacy_version > 0x0300, TD_ALERT_PROTOCOL_VERSION);
    if (ch->has_extensions &&
        td_ext_find(ch->extensions, TD_EXT_SUPPORTED_VERSIONS, &data)) {
        td_ext_supported_versions sv;
        td_rd r;
        uint16_t v;

        TRY(td_ext_supported_versions_decode(data, TD_EXT_CTX_CLIENT_HELLO,
                                             &sv));
        /* RFC 8446 4.2.1: only the extension counts; unknown versions
         * (GREASE, drafts) are ignored */
        td_rd_init_span(&r, sv.versions);
        while (td_rd_u16(&r, &v) == TD_OK) {
            if (v < 0x0300 || v > 0x0304)
                continue;
            if (v > top)
                top = v;
            if (v >= lo && v <= hi && v > best)
                best = v;
        }
        /* RFC 8446 4.2.1, 6.2: no version we can accept */
        ENSURE(best != 0, TD_ALERT_PROTOCOL_VERSION);
    } else {
        /* RFC 8446 4.2.1, D.2: the minimum of legacy_version and TLS 1.2 */
        top = ch->legacy_version > 0x0303 ? 0x0303 : ch->legacy_version;
        /* RFC 8446 D.2, RFC 8996 4, 5: below what we speak */
        ENSURE(top >= lo && top <= hi, TD_ALERT_PROTOCOL_VERSION);
        best = top;
    }
    *version = best;
    *client_max = top;
    return TD_OK;
}

static td_err on_client_hello(td_conn *c, const td_handshake *msg)
{
    td_client_hello ch;
    uint16_t version, client_max, lo, hi;
    td_rd r;

    /* RFC 8446 D.5 names protocol_version for a Hello at 0x0300 or below,
     * so legacy_version is read before the rest is judged: an SSL 3.0
     * ClientHello is refused as such even when the rest of it would not
     * decode (wolfSSL's, for one, carries an empty cipher_suites). */
    td_rd_init_span(&r, msg->body);
    if (td_rd_u16(&r, &version) == TD_OK)
        ENSURE(version > 0x0300, TD_ALERT_PROTOCOL_VERSION);
    TRY(td_client_hello_decode(msg->body, &ch));
    TRY(pick_version(c, &ch, &version, &client_max));
    our_range(c, &lo, &hi);
    /* RFC 7507 3: a fallback to below our highest version */
    ENSURE(!(td_hs_u16_in(ch.cipher_suites, TLS_FALLBACK_SCSV) &&
             client_max < hi),
           TD_ALERT_INAPPROPRIATE_FALLBACK);
    c->params.version = version;
    memcpy(c->client_random, ch.random, TD_RANDOM_LEN);
    if (version == 0x0304)
        return td_srv13_on_client_hello(c, &ch);
    /* RFC 8446 4.1.3: the TLS 1.2 server draws ServerHello.random and puts
     * the downgrade sentinel in it (the contract at the top of the file) */
    return td_srv12_on_client_hello(c, &ch);
}

td_err td_srv_on_client_hello(td_conn *c, const td_handshake *msg,
                              size_t before)
{
    td_err e;

    (void)before; /* the first message: nothing precedes it */
    e = on_client_hello(c, msg);
    if (e != TD_OK)
        return TD_CONN_FAIL(c, e, "ClientHello");
    return TD_OK;
}
