# TLS 1.3 full handshake: P-256 key exchange, RSA-2048 server key, RSA-PSS
# CertificateVerify (RFC 8446 4.2.3: rsa_pss_rsae_* for TLS 1.3 with RSA keys).
summary = TLS 1.3, P-256, RSA-PSS
versions = 1.3
suites = TLS_AES_256_GCM_SHA384
groups = secp256r1
sigalgs = rsa_pss_rsae_sha256, rsa_pkcs1_sha256
server.chain = pki/server-rsa2048.chain.pem
server.key = pki/server-rsa2048.key.pem
client.trust = pki/root-ca.crt.pem
sni = server.tlsdiff.test
