from django.contrib.auth.backends import ModelBackend


class PersonBackend(ModelBackend):
    """Sessions of people signed in by SMS code or password (the services check those);
    Django's admin password form also goes through here, by mobile number."""

    def user_can_authenticate(self, user):
        return user.is_active
