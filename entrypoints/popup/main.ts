import { mount } from 'svelte';
import '../../components/ui/theme.css';
import './popup.css';
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });
