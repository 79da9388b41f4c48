"""Input and output shapes of the campaigns API. Input serializers check types and lengths;
the services decide."""

from rest_framework import serializers

from core.api import StrictSerializer
from people.serializers import UserRefSerializer

from .models import MAX_BRIEF, MAX_GUIDANCE, MAX_STORY, MAX_SUGGESTED, Campaign, Share


class CampaignListItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    hashtag = serializers.CharField()
    status = serializers.CharField(help_text="One of: " + ", ".join(Campaign.Status.values))
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    contribution_count = serializers.IntegerField()
    picked_count = serializers.IntegerField()


class CampaignSerializer(CampaignListItemSerializer):
    brief = serializers.CharField(help_text="Markdown source")
    brief_html = serializers.CharField(help_text="Sanitized HTML")
    guidance = serializers.CharField(help_text="What may be shared (plain text)")


class CampaignInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    brief = serializers.CharField(max_length=MAX_BRIEF)
    hashtag = serializers.CharField(max_length=51)
    guidance = serializers.CharField(max_length=MAX_GUIDANCE)
    starts_at = serializers.DateTimeField(help_text="ISO 8601 with a time zone")
    ends_at = serializers.DateTimeField(help_text="ISO 8601 with a time zone")


class CampaignUpdateSerializer(CampaignInputSerializer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class CampaignStatusInputSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=["open", "closed"])


class ContributionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = UserRefSerializer()
    text = serializers.CharField(help_text="Plain text")
    image_url = serializers.CharField(source="get_image_url", help_text="Empty without a photo")
    consent = serializers.BooleanField(help_text="May be shared publicly by the brand")
    picked = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_picked(self, obj) -> bool:
        return hasattr(obj, "share_post")


class ContributionInputSerializer(StrictSerializer):
    text = serializers.CharField(max_length=MAX_STORY)
    consent = serializers.BooleanField(required=False, default=False)
    image = serializers.FileField(required=False, allow_null=True)


class PickInputSerializer(StrictSerializer):
    suggested_text = serializers.CharField(
        max_length=MAX_SUGGESTED, required=False, allow_blank=True, default=""
    )


class SharePostSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    contribution_id = serializers.IntegerField()
    author = UserRefSerializer(source="contribution.author")
    suggested_text = serializers.CharField()
    image_url = serializers.CharField(source="contribution.get_image_url")
    share_count = serializers.IntegerField()
    my_share_count = serializers.IntegerField()


class SuggestedTextInputSerializer(StrictSerializer):
    suggested_text = serializers.CharField(max_length=MAX_SUGGESTED)


class CampaignShareInputSerializer(StrictSerializer):
    platform = serializers.ChoiceField(choices=Share.Platform.choices)
    url = serializers.CharField(max_length=500, help_text="The http(s) link of your post")


class CampaignShareSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    share_post_id = serializers.IntegerField()
    platform = serializers.CharField()
    url = serializers.CharField()
    created_at = serializers.DateTimeField()


class CampaignCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    count = serializers.IntegerField()


class CampaignDepartmentCountSerializer(serializers.Serializer):
    name = serializers.CharField()
    contributions = serializers.IntegerField()
    picked = serializers.IntegerField()
    shares = serializers.IntegerField()


class CampaignReportSerializer(serializers.Serializer):
    contributions = serializers.IntegerField()
    consented = serializers.IntegerField()
    picked = serializers.IntegerField()
    shares = serializers.IntegerField()
    by_platform = CampaignCountSerializer(many=True)
    by_department = CampaignDepartmentCountSerializer(many=True)
