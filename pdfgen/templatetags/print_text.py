"""Text for printed pages (the archive PDF, the report PDF).

WeasyPrint ignores `word-break: keep-all` and breaks Korean between any two
syllables ("세대주와의 관/계", "호출 건/수"); each word wrapped in a no-break
span leaves only the spaces as places to break, as on paper.
"""

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def keep_words(text: object) -> SafeString:
    words = str(text).split()
    return format_html_join(" ", '<span class="w">{}</span>', ((conditional_escape(w),) for w in words))
