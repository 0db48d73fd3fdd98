/*
 * Alert codec: RFC 8446 6 (B.2), RFC 5246 7.2.
 *
 *     enum { warning(1), fatal(2), (255) } AlertLevel;
 *
 *     struct {
 *         AlertLevel level;
 *         AlertDescription description;
 *     } Alert;
 *
 * The codec only frames. Judging the level (RFC 8446 6: alerts "MUST be
 * treated as error alerts when received regardless of the AlertLevel") and
 * unknown descriptions is the handshake layer's job.
 */
#include "td_record.h"

td_err td_alert_decode(td_span fragment, td_alert *out)
{
    td_rd r;
    td_alert a;

    /* RFC 8446 5.1: "a record with an Alert type MUST contain exactly one
     * message"; RFC 8446 6 / RFC 5246 7.2.2: a wrong length is
     * decode_error. */
    ENSURE(fragment.len == 2, TD_ALERT_DECODE_ERROR);
    td_rd_init_span(&r, fragment);
    TRY(td_rd_u8(&r, &a.level));
    TRY(td_rd_u8(&r, &a.description));
    TRY(td_rd_done(&r));
    *out = a;
    return TD_OK;
}

td_err td_alert_encode(td_wr *wr, const td_alert *in)
{
    td_wr w = *wr;

    TRY(td_wr_u8(&w, in->level));
    TRY(td_wr_u8(&w, in->description));
    *wr = w;
    return TD_OK;
}
