"""`{% storycard %}…{% endstorycard %}` wraps a story card's markup so that a
page rendered by a view decorated with pagecache.cards.cached_cards takes the
card from the fragment cache instead of rendering it (see pagecache/cards.py)."""

from django import template

from pagecache import cards

register = template.Library()


class StoryCardNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        if request is None or cards.pending_cards(request) is None:
            return self.nodelist.render(context)
        options = {option: context.get(option) for option in cards.CARD_OPTIONS}
        return cards.placeholder(request, context["article"], options)


@register.tag
def storycard(parser, token):
    nodelist = parser.parse(("endstorycard",))
    parser.delete_first_token()
    return StoryCardNode(nodelist)
