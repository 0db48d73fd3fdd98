# TLS 1.3 full handshake: X25519 key exchange, ECDSA P-256 server certificate.
summary = TLS 1.3, X25519, ECDSA P-256
versions = 1.3
suites = TLS_AES_128_GCM_SHA256
groups = x25519
sigalgs = ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
server.chain = pki/server-p256.chain.pem
server.key = pki/server-p256.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
