"""Members' pages, one module per subject, along the seams of members.services: profiles (the
directory, profiles, skills, roles), audit, reciprocity (Pay it back, endorsing, My reciprocity),
relations (connections, recommendations, introductions and the requests page), follows,
notifications, leaving (data and leaving), mail (settings and unsubscribe) and signin (the other
sign-in pages handing over to allauth's). Each is a thin caller of the services and selectors."""
