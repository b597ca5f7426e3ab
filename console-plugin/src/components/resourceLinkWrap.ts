import './resourceLinkWrap.css';

/** The class every ResourceLink the plugin renders carries: its name wraps at hyphens, not one character a line. */
export const RESOURCE_LINK_CLASS = 'peer-pods-console-plugin__resource-link';
