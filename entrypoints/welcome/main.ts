import { mount } from 'svelte';
import '../../components/ui/theme.css';
import { t, uiLanguage } from '../../lib/i18n';
import App from './App.svelte';

// The page's language and title come from the catalogue (Chrome fills __MSG_…__ only in the manifest and CSS).
document.documentElement.lang = uiLanguage();
document.title = t('welcomePageTitle');

mount(App, { target: document.getElementById('app')! });
