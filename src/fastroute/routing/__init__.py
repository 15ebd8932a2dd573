"""werkzeug-compatible URL routing: the public names of ``werkzeug.routing``.

Use it on its own like werkzeug's, or in Flask::

    app.url_map_class = fastroute.routing.Map
    app.url_rule_class = fastroute.routing.Rule
"""

from .converters import (
    DEFAULT_CONVERTERS as DEFAULT_CONVERTERS,
    AnyConverter as AnyConverter,
    BaseConverter as BaseConverter,
    FloatConverter as FloatConverter,
    IntegerConverter as IntegerConverter,
    NumberConverter as NumberConverter,
    PathConverter as PathConverter,
    UnicodeConverter as UnicodeConverter,
    UUIDConverter as UUIDConverter,
    ValidationError as ValidationError,
)
from .exceptions import (
    BuildError as BuildError,
    NoMatch as NoMatch,
    RequestAliasRedirect as RequestAliasRedirect,
    RequestPath as RequestPath,
    RequestRedirect as RequestRedirect,
    RoutingException as RoutingException,
    WebsocketMismatch as WebsocketMismatch,
)
from .map import Map as Map, MapAdapter as MapAdapter
from .matcher import StateMachineMatcher as StateMachineMatcher
from .rules import (
    EndpointPrefix as EndpointPrefix,
    Rule as Rule,
    RuleFactory as RuleFactory,
    RuleTemplate as RuleTemplate,
    RuleTemplateFactory as RuleTemplateFactory,
    Subdomain as Subdomain,
    Submount as Submount,
    parse_converter_args as parse_converter_args,
)
