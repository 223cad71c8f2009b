"""One simulator module per vendor; each defines a ``VendorSim`` subclass."""
