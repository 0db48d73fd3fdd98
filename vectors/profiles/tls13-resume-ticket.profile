# TLS 1.3 resumption with a ticket (RFC 8446 2.2, 4.6.1, 4.2.11): the
# server issues a NewSessionTicket after the first handshake; a second
# connection offers it in pre_shared_key (psk_dhe_ke) and the server
# resumes without a certificate.
summary = TLS 1.3, ticket resumption (PSK with ECDHE)
versions = 1.3
suites = TLS_AES_128_GCM_SHA256
groups = x25519
sigalgs = ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256
tickets = on
resume = ticket
server.chain = pki/server-p256.chain.pem
server.key = pki/server-p256.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
