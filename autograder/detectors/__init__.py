"""Anti-pattern detectors: each ``find_*`` returns findings, each ``assert_*`` raises on them."""
