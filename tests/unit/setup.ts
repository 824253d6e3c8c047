import 'fake-indexeddb/auto';
import '../../lib/i18n/node-catalogue';
