"""The members API (/api/v1/), one module per subject along the seams of members.services:
profiles, reciprocity, relations, follows, notifications, leaving, mail and signin (the token).
Thin views over the same selectors and services as the pages; each module declares the
serializers its views read and write, above them."""
