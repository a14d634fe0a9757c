"""Install and connect flows, and how merchants sign in to the admin."""
