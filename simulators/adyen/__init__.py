from simulators.adyen.app import AdyenSimulator, SimMerchantAccount, sign

__all__ = ["AdyenSimulator", "SimMerchantAccount", "sign"]
