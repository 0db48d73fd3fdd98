/* td_pcap: the Internet checksum (RFC 1071), the frames of one TCP
 * segment (RFC 791, RFC 9293) and the capture file (pcap-savefile(5)).
 * Expected values are derived by hand in the comments; tshark checks the
 * same frames in tests/cli/replay_pcap.sh. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "td_pcap.h"

Suite *td_pcap_suite(void);

static void hex(const char *h, uint8_t *out, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned v;

        ck_assert(sscanf(h + 2 * i, "%2x", &v) == 1);
        out[i] = (uint8_t)v;
    }
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* RFC 1071 3, "Numerical Examples": the bytes 00 01 f2 03 f4 f5 f6 f7
 * sum to 0001 + f203 + f4f5 + f6f7 = 2ddf0, folded ddf0 + 2 = ddf2; the
 * checksum is its complement, 220d. */
START_TEST(checksum_rfc1071_example)
{
    uint8_t b[8];

    hex("0001f203f4f5f6f7", b, sizeof b);
    ck_assert_uint_eq(td_inet_sum(0, b, sizeof b), 0xddf2);
    ck_assert_uint_eq(td_inet_checksum(td_inet_sum(0, b, sizeof b)), 0x220d);
    /* RFC 1071 2 (B): the sum does not depend on how it is split */
    ck_assert_uint_eq(td_inet_sum(td_inet_sum(0, b, 4), b + 4, 4), 0xddf2);
}
END_TEST

/* An odd count: RFC 1071 4.1 pads the last byte with zero, so 01 02 03
 * sums as 0102 + 0300 = 0402, checksum fbfd. */
START_TEST(checksum_odd_length)
{
    static const uint8_t b[3] = {1, 2, 3};

    ck_assert_uint_eq(td_inet_sum(0, b, 3), 0x0402);
    ck_assert_uint_eq(td_inet_checksum(td_inet_sum(0, b, 3)), 0xfbfd);
}
END_TEST

/* An IPv4 header with a zero checksum field (RFC 791 3.1):
 *   4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7
 * 4500 + 0073 = 4573; + 4000 = 8573; + 4011 = c584; + c0a8 = 1862c;
 * + 0001 = 1862d; + c0a8 = 246d5; + 00c7 = 2479c; folded 479c + 2 = 479e;
 * checksum ~479e = b861. With b861 in place the header sums to ffff
 * (RFC 1071 1: the receiver's check). */
START_TEST(checksum_ipv4_header)
{
    uint8_t h[20];

    hex("450000730000400040110000c0a80001c0a800c7", h, sizeof h);
    ck_assert_uint_eq(td_inet_checksum(td_inet_sum(0, h, sizeof h)), 0xb861);
    h[10] = 0xb8;
    h[11] = 0x61;
    ck_assert_uint_eq(td_inet_sum(0, h, sizeof h), 0xffff);
}
END_TEST

static const uint8_t client_ip[4] = {127, 0, 0, 1}, server_ip[4] = {127, 0, 0, 2};

/* The SYN 127.0.0.1:40000 -> 127.0.0.2:443, seq 10000000, no payload.
 * IPv4 header 4500 0028 0000 4000 4006 xxxx 7f00 0001 7f00 0002:
 *   4500 + 0028 + 4000 + 4006 + 7f00 + 0001 + 7f00 + 0002 = 1c331,
 *   folded c332, checksum 3ccd.
 * TCP (RFC 9293 3.1): 9c40 01bb 1000 0000 0000 0000 5002 ffff xxxx 0000
 *   over the pseudo-header 7f00 0001 7f00 0002 0006 0014:
 *   pseudo-header fe1d; segment 9c40 + 01bb + 1000 + 5002 + ffff = 1fdfc;
 *   fe1d + 1fdfc = 2fc19, folded fc1b, checksum 03e4. */
START_TEST(frame_syn)
{
    td_pcap_seg s = {client_ip, server_ip, 40000, 443, 0x10000000u, 0, TD_TCP_SYN, 0, {NULL, 0}};
    uint8_t f[TD_PCAP_FRAME_MAX], want[54];
    size_t n;

    ck_assert_int_eq(td_pcap_frame(&s, f, sizeof f, &n), TD_OK);
    ck_assert_uint_eq(n, 54);
    hex("020000000002"                             /* to the server's MAC */
        "020000000001"                             /* from the client's */
        "0800"                                     /* IPv4 */
        "45000028000040004006" "3ccd" "7f0000017f000002"
        "9c4001bb" "10000000" "00000000" "5002ffff" "03e4" "0000",
        want, sizeof want);
    ck_assert_mem_eq(f, want, sizeof want);
}
END_TEST

/* Any frame: both checksums verify (the sum over the header, or over the
 * pseudo-header and the segment, with the checksum in place, is ffff),
 * here with an odd payload. */
START_TEST(frame_checksums_verify)
{
    static const uint8_t data[5] = {0x16, 0x03, 0x01, 0x00, 0x01};
    td_pcap_seg s = {server_ip, client_ip, 443, 40001, 7, 9, TD_TCP_PSH | TD_TCP_ACK, 3,
                     {data, sizeof data}};
    uint8_t f[TD_PCAP_FRAME_MAX], pseudo[12];
    size_t n;

    ck_assert_int_eq(td_pcap_frame(&s, f, sizeof f, &n), TD_OK);
    ck_assert_uint_eq(n, 14 + 20 + 20 + 5);
    ck_assert_uint_eq(be16(f + 14 + 2), 45); /* IPv4 total length */
    ck_assert_uint_eq(td_inet_sum(0, f + 14, 20), 0xffff);
    memcpy(pseudo, server_ip, 4);
    memcpy(pseudo + 4, client_ip, 4);
    pseudo[8] = 0;
    pseudo[9] = 6;
    pseudo[10] = 0;
    pseudo[11] = 25;
    ck_assert_uint_eq(td_inet_sum(td_inet_sum(0, pseudo, 12), f + 34, 25), 0xffff);
    ck_assert_uint_eq(be32(f + 34 + 4), 7);
    ck_assert_uint_eq(be32(f + 34 + 8), 9);
    ck_assert_mem_eq(f + 54, data, sizeof data);
    /* too long a payload is refused */
    s.payload.len = TD_PCAP_MSS + 1;
    ck_assert_int_eq(td_pcap_frame(&s, f, sizeof f, &n), TD_ERR_INTERNAL);
}
END_TEST

/* pcap-savefile(5): magic a1b2c3d4, version 2.4, thiszone 0, sigfigs 0,
 * snaplen, LINKTYPE_ETHERNET 1; written little-endian. */
START_TEST(file_header)
{
    FILE *f = tmpfile();
    uint8_t h[24], want[24];

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(td_pcap_file_begin(f), TD_OK);
    rewind(f);
    ck_assert_uint_eq(fread(h, 1, sizeof h, f), 24);
    hex("d4c3b2a1" "02000400" "00000000" "00000000" "ffff0000" "01000000", want, 24);
    ck_assert_mem_eq(h, want, 24);
    fclose(f);
}
END_TEST

/* A record of the file: its TCP header and payload length. */
typedef struct rec {
    uint32_t ts_usec, seq, ack;
    uint8_t flags;
    size_t payload;
    uint16_t src_port;
} rec;

static int read_rec(FILE *f, rec *r)
{
    uint8_t h[16], frame[TD_PCAP_FRAME_MAX];
    uint32_t len;

    if (fread(h, 1, 16, f) != 16)
        return 0;
    len = le32(h + 8);
    ck_assert_uint_eq(le32(h + 12), len);
    ck_assert_uint_le(len, sizeof frame);
    ck_assert_uint_eq(fread(frame, 1, len, f), len);
    r->ts_usec = le32(h + 4);
    r->src_port = be16(frame + 34);
    r->seq = be32(frame + 38);
    r->ack = be32(frame + 42);
    r->flags = frame[47];
    r->payload = len - 54;
    return 1;
}

/* One connection, client ISN 10000000 and server ISN 20000000 (td_pcap.c):
 * RFC 9293 3.5 handshake (a SYN takes one number), 3000 bytes from the
 * client in segments of 1460, 1460 and 80, 100 from the server, then
 * FIN+ACK both ways (a FIN takes one number, RFC 9293 3.6) and ACK. */
START_TEST(stream_sequence_numbers)
{
    static uint8_t big[3000], small[100];
    static const struct {
        uint16_t port;
        uint8_t flags;
        uint32_t seq, ack;
        size_t payload;
    } want[] = {
        {40002, TD_TCP_SYN, 0x10000000u, 0, 0},
        {443, TD_TCP_SYN | TD_TCP_ACK, 0x20000000u, 0x10000001u, 0},
        {40002, TD_TCP_ACK, 0x10000001u, 0x20000001u, 0},
        {40002, TD_TCP_PSH | TD_TCP_ACK, 0x10000001u, 0x20000001u, 1460},
        {40002, TD_TCP_PSH | TD_TCP_ACK, 0x10000001u + 1460, 0x20000001u, 1460},
        {40002, TD_TCP_PSH | TD_TCP_ACK, 0x10000001u + 2920, 0x20000001u, 80},
        {443, TD_TCP_PSH | TD_TCP_ACK, 0x20000001u, 0x10000001u + 3000, 100},
        {40002, TD_TCP_FIN | TD_TCP_ACK, 0x10000001u + 3000, 0x20000001u + 100, 0},
        {443, TD_TCP_FIN | TD_TCP_ACK, 0x20000001u + 100, 0x10000001u + 3001, 0},
        {40002, TD_TCP_ACK, 0x10000001u + 3001, 0x20000001u + 101, 0},
    };
    FILE *f = tmpfile();
    td_pcap_stream s;
    rec r;
    size_t i;

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(td_pcap_stream_open(&s, f, 40002, 5), TD_OK);
    ck_assert_int_eq(td_pcap_stream_data(&s, 1, (td_span){big, sizeof big}), TD_OK);
    ck_assert_int_eq(td_pcap_stream_data(&s, 0, (td_span){small, sizeof small}), TD_OK);
    ck_assert_int_eq(td_pcap_stream_close(&s), TD_OK);
    /* closed: more data is a caller bug */
    ck_assert_int_eq(td_pcap_stream_data(&s, 1, (td_span){small, 1}), TD_ERR_INTERNAL);
    rewind(f);
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        ck_assert(read_rec(f, &r));
        ck_assert_uint_eq(r.ts_usec, i);
        ck_assert_uint_eq(r.src_port, want[i].port);
        ck_assert_uint_eq(r.flags, want[i].flags);
        ck_assert_uint_eq(r.seq, want[i].seq);
        /* RFC 9293 3.1: the acknowledgment field is zero without ACK */
        ck_assert_uint_eq(r.ack, want[i].flags & TD_TCP_ACK ? want[i].ack : 0);
        ck_assert_uint_eq(r.payload, want[i].payload);
    }
    ck_assert(!read_rec(f, &r));
    fclose(f);
}
END_TEST

Suite *td_pcap_suite(void)
{
    Suite *s = suite_create("pcap");
    TCase *tc = tcase_create("checksum");

    tcase_add_test(tc, checksum_rfc1071_example);
    tcase_add_test(tc, checksum_odd_length);
    tcase_add_test(tc, checksum_ipv4_header);
    suite_add_tcase(s, tc);
    tc = tcase_create("frames");
    tcase_add_test(tc, frame_syn);
    tcase_add_test(tc, frame_checksums_verify);
    tcase_add_test(tc, file_header);
    tcase_add_test(tc, stream_sequence_numbers);
    suite_add_tcase(s, tc);
    return s;
}
