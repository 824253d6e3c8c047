// Imported for its effect by Node entry points (the server, the test setups): the English catalogue
// answers t() where there is no browser i18n API. Never import this from extension or page code.
import catalogue from '../../public/_locales/en/messages.json' with { type: 'json' };
import { installFallbackCatalogue } from './fallback.ts';

installFallbackCatalogue(catalogue);
