from rest_framework import serializers


class CommunityWeekSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="Monday of the week (the site's time zone)")
    active = serializers.IntegerField(help_text="People who posted, commented or reacted")
    posts = serializers.IntegerField()
    comments = serializers.IntegerField()
    reactions = serializers.IntegerField()
    questions = serializers.IntegerField(help_text="Posts of the kind question")
    answered = serializers.IntegerField(help_text="Questions someone else commented on")
    accepted = serializers.IntegerField(help_text="Questions with an accepted answer")
    median_hours = serializers.FloatField(
        allow_null=True, help_text="Median hours from the question to its first answer"
    )


class CommunityContributorSerializer(serializers.Serializer):
    username = serializers.CharField()
    display_name = serializers.CharField()
    posts = serializers.IntegerField()
    comments = serializers.IntegerField()


class CommunityReportSerializer(serializers.Serializer):
    scope = serializers.CharField()
    since = serializers.DateTimeField()
    as_of = serializers.DateTimeField(
        allow_null=True,
        help_text="When the current week's figures were counted (null: for this request)",
    )
    weeks = CommunityWeekSerializer(many=True)
    median_hours = serializers.FloatField(allow_null=True)
    contributors = CommunityContributorSerializer(many=True)


class CommunityReportQuerySerializer(serializers.Serializer):
    weeks = serializers.IntegerField(required=False, default=12, min_value=4, max_value=52)
