"""One simulator module per vendor; each defines a ``VendorSim`` subclass
(docs/sandbox.md, "How the simulators generate data").
"""
