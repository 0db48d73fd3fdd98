/*
 * The names of td_x509_reason (what vectors/x509/cases.list, the CLI and
 * the reports print) and the alert each one is (td_x509.h has the table,
 * from RFC 8446 6.2 and RFC 5246 7.2.2).
 */
#include "td_x509.h"

static const struct {
    const char *name;
    td_err alert;
} reasons[TD_X509_N_REASONS] = {
    [TD_X509_OK] = {"ok", TD_OK},
    [TD_X509_BAD_DER] = {"bad_der", TD_ALERT_BAD_CERTIFICATE},
    [TD_X509_LIMIT] = {"limit", TD_ALERT_BAD_CERTIFICATE},
    [TD_X509_BAD_VERSION] = {"bad_version", TD_ALERT_BAD_CERTIFICATE},
    [TD_X509_SIG_ALG_MISMATCH] = {"sig_alg_mismatch", TD_ALERT_BAD_CERTIFICATE},
    [TD_X509_DUPLICATE_EXTENSION] = {"duplicate_extension", TD_ALERT_BAD_CERTIFICATE},
    [TD_X509_BAD_EXTENSION] = {"bad_extension", TD_ALERT_BAD_CERTIFICATE},
    /* "a certificate was of an unsupported type" (RFC 8446 6.2) */
    [TD_X509_UNKNOWN_CRITICAL] = {"unknown_critical", TD_ALERT_UNSUPPORTED_CERTIFICATE},
    [TD_X509_BAD_SERIAL] = {"bad_serial", TD_ALERT_BAD_CERTIFICATE},
    [TD_X509_UNSUPPORTED_KEY] = {"unsupported_key", TD_ALERT_UNSUPPORTED_CERTIFICATE},
    [TD_X509_UNSUPPORTED_SIG] = {"unsupported_sig", TD_ALERT_UNSUPPORTED_CERTIFICATE},
    [TD_X509_EMPTY_CHAIN] = {"empty_chain", TD_ALERT_BAD_CERTIFICATE},
    /* "the CA certificate could not be located or could not be matched
     * with a known trust anchor" (RFC 8446 6.2) */
    [TD_X509_NO_PATH] = {"no_path", TD_ALERT_UNKNOWN_CA},
    [TD_X509_PATH_TOO_LONG] = {"path_too_long", TD_ALERT_UNKNOWN_CA},
    [TD_X509_SIG_KEY_MISMATCH] = {"sig_key_mismatch", TD_ALERT_BAD_CERTIFICATE},
    /* "a certificate ... contained signatures that did not verify
     * correctly" (RFC 8446 6.2) */
    [TD_X509_BAD_SIGNATURE] = {"bad_signature", TD_ALERT_BAD_CERTIFICATE},
    /* "a certificate has expired or is not currently valid" */
    [TD_X509_EXPIRED] = {"expired", TD_ALERT_CERTIFICATE_EXPIRED},
    [TD_X509_NOT_YET_VALID] = {"not_yet_valid", TD_ALERT_CERTIFICATE_EXPIRED},
    [TD_X509_NOT_CA] = {"not_ca", TD_ALERT_BAD_CERTIFICATE},
    [TD_X509_PATH_LEN] = {"path_len", TD_ALERT_BAD_CERTIFICATE},
    [TD_X509_CA_KEY_USAGE] = {"ca_key_usage", TD_ALERT_BAD_CERTIFICATE},
    [TD_X509_LEAF_KEY_USAGE] = {"leaf_key_usage", TD_ALERT_BAD_CERTIFICATE},
    [TD_X509_EKU] = {"eku", TD_ALERT_BAD_CERTIFICATE},
    [TD_X509_NAME_MISMATCH] = {"name_mismatch", TD_ALERT_BAD_CERTIFICATE},
    [TD_X509_NAME_CONSTRAINTS] = {"name_constraints", TD_ALERT_BAD_CERTIFICATE},
};

const char *td_x509_reason_name(td_x509_reason r)
{
    return (unsigned)r < TD_X509_N_REASONS && reasons[r].name ? reasons[r].name : "reason?";
}

td_err td_x509_reason_alert(td_x509_reason r)
{
    if (r == TD_X509_OK)
        return TD_OK;
    return (unsigned)r < TD_X509_N_REASONS ? reasons[r].alert : TD_ALERT_BAD_CERTIFICATE;
}
