from simulators.klarna.app import KlarnaSimulator, SimMerchant

__all__ = ["KlarnaSimulator", "SimMerchant"]
