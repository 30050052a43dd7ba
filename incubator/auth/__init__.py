"""Login, logout, password change, and the policy that says who may do what."""
