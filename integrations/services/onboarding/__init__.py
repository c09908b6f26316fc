"""Merchant onboarding: sign-up and the Get Started wizard, one module per step.

Wizard steps: 1 flows, 2 connect (Business Central, shop, payment provider), 3 settings,
4 test with a real order, 5 go live. Each step's service validates and raises OnboardingError
(errors.py) with a message that says what to do next. The wizard's reads (its state, what is
missing) are selectors (integrations/selectors.py).
"""
