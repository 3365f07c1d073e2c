@_spi(Gatehouse) import JWT

/// Keys the JWS target verifies with: public keys taken from Wycheproof's JOSE and Ed25519 vectors (so the seed
/// tokens signed by them pass the signature and reach the claims), and the HS256 secret of the same vectors.
enum FuzzKeys {
    static let publicSet = """
        {"keys": [
        {"kty": "EC", "alg": "ES256", "use": "sig", "crv": "P-256", "kid": "kid-ec-sign",
         "x": "04N0xi21hshyvBp7I167sbE_bXqyqkAPfefdklMO7wY", "y": "UI8exy-C06a7DUnjIdENkxeFtHM4-l_41LqEw9nVgmw"},
        {"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "kid-rsa-sign", "e": "AQAB",
         "n": "kqGboBfAWttWPCA-0cGRgsY6SaYoIARt0B_PkaEcIq9HPYNdu9n6UuWHuuTHrjF_ZoQW97r5HaAorNvrMEGTGdxCHZdEtkHvNVVmrtxTBLiQCbCozXhFoIrVcr3qUBrdGnNn_M3jJi7Wg7p_-x62nS5gNG875oyheRkutHsQXikFZwsN3q_TsPNOVlCiHy8mxzaFTUQGm-X8UYexFyAivlDSjgDJLAZSWfxd7k9Gxuwa3AUfQqQcVcegmgKGCaErQ3qQbh1x7WB6iopE3_-GZ8HMAVtR9AmrVscqYsnjhaCehfAI0iKKs8zXr8tISc0ORbaalrkk03H1ZrsEnDKEWQ"},
        {"kty": "RSA", "alg": "PS256", "use": "sig", "kid": "PS256_2048", "e": "AQAB",
         "n": "orRRoH0KpfluRVZxUTVQUUqKW0YuvvcXCU-h_ugiJOY3-XRtP3yv0xh42AMltu9aFwD2WQO0aUKeidbqyIRQl7WrOTGJ25JRLtincRoSU_rNIPecFegkfz0-QuRuSMmOJUov6XZTE6A-_48X4aApOXofomqNzib0kO2BKZYV2YFMItphBCjgnH2WWFlCZvXAIdD87KCNlFoSvoLeTR7Oa0wDFFtdNJXU7VQR64eNrwX9evw-Ca2g8RJkIvWQl1oZaYFvSGmLy7obTZyuedRg2Pn4Xnl1AF2bwixOWsD3waRdElaaYoB9O5oC5aUw53MGb0U9H1tMLpz3ggKD90K51Q"},
        {"kty": "OKP", "crv": "Ed25519", "kid": "ed25519", "x": "fU0Of2FTpptiQrUiq77mhf2kQg-INLEIw72uNp71Sfo"}
        ]}
        """
    static let secretKeyID = "kid-aes-sign"
    static let secret = Base64URL.decode("-ebuDNsVZ2iJtoZ-akfXTSCt4UO2cruLCsbWlBinggE")!
}
