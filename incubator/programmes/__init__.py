"""Programme setup: programmes, regions and agencies, people, invitations."""
