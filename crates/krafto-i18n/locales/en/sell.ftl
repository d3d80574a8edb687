# The seller's pages (/sell).
