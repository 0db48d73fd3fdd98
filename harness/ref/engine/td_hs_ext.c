/*
 * One extension into an extensions block, for the handler files that
 * build ServerHello, HelloRetryRequest, EncryptedExtensions,
 * CertificateRequest and NewSessionTicket.
 *
 * RFC 8446 4.2 (RFC 5246 7.4.1.4 is the same struct):
 *
 *     struct {
 *         ExtensionType extension_type;
 *         opaque extension_data<0..2^16-1>;
 *     } Extension;
 *
 * extension_data is the typed codec's wire form of the extension in the
 * block's context (td_ext.h: the form of key_share, for one, differs
 * between ServerHello and HelloRetryRequest).
 */
#include "td_hs.h"

#include <string.h>

void td_hs_ext_init(td_ext_any *x, uint16_t type)
{
    memset(x, 0, sizeof *x);
    x->type = type;
    x->known = 1;
}

td_err td_hs_ext_put(td_wr *wr, td_ext_ctx ctx, const td_ext_any *x)
{
    td_wr w = *wr; /* *wr changes only when the whole extension fits */
    td_wr_mark m;

    TRY(td_wr_u16(&w, x->type));
    TRY(td_wr_open16(&w, &m)); /* extension_data<0..2^16-1> */
    TRY(td_ext_any_encode(&w, ctx, x));
    TRY(td_wr_close(&w, &m));
    *wr = w;
    return TD_OK;
}
