// Masthead: who is signed in (as the API server sees it), and the shell's three switches:
// user (admin / developer; the server holds the tokens, switching reloads the page as a new
// login would), language (stored where the console stores it) and dark theme.
import { useEffect, useState, type FC } from 'react';
import {
  FormSelect,
  FormSelectOption,
  Masthead,
  MastheadBrand,
  MastheadContent,
  MastheadLogo,
  MastheadMain,
  MastheadToggle,
  PageToggleButton,
  Switch,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from '@patternfly/react-core';
import { BarsIcon } from '@patternfly/react-icons';
import { useTranslation } from 'react-i18next';
import { consoleFetchJSON, getCSRFToken } from '../sdk/consoleFetch';
import { SHELL_LANGUAGES, storeLanguage } from '../i18n';

type ShellUser = 'admin' | 'developer';
const USER_LABELS: Record<ShellUser, string> = {
  admin: 'Cluster admin',
  developer: 'Developer (no RBAC bindings)',
};
const THEME_KEY = 'console-shell/theme';

const useSignedInUser = () => {
  const [user, setUser] = useState<ShellUser>();
  // The users the shell has credentials for (against a real cluster, perhaps only the admin).
  const [users, setUsers] = useState<ShellUser[]>([]);
  const [username, setUsername] = useState<string>();
  useEffect(() => {
    void fetch('/shell/session')
      .then((r) => r.json() as Promise<{ user: ShellUser; users: ShellUser[] }>)
      .then((s) => {
        setUser(s.user);
        setUsers(s.users);
      });
    // The name the API server knows the token by, as the console's user menu shows it.
    void (
      consoleFetchJSON.post('/api/kubernetes/apis/authentication.k8s.io/v1/selfsubjectreviews', {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      }) as Promise<{ status?: { userInfo?: { username?: string } } }>
    )
      .then((review) => setUsername(review.status?.userInfo?.username))
      .catch(() => setUsername(undefined));
  }, []);
  return { user, users, username };
};

const switchUser = async (user: ShellUser) => {
  await fetch('/shell/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': getCSRFToken() ?? '' },
    body: JSON.stringify({ user }),
  });
  window.location.reload();
};

export const ShellMasthead: FC = () => {
  const { i18n } = useTranslation();
  const { user, users, username } = useSignedInUser();
  const [dark, setDark] = useState(() => document.documentElement.classList.contains('pf-v6-theme-dark'));
  // i18next reports "zh-cn" as "zh-CN".
  const language = SHELL_LANGUAGES.find((l) => l.code === i18n.language?.toLowerCase())?.code ?? 'en';

  const onTheme = (checked: boolean) => {
    document.documentElement.classList.toggle('pf-v6-theme-dark', checked);
    localStorage.setItem(THEME_KEY, checked ? 'dark' : 'light');
    setDark(checked);
  };

  return (
    <Masthead>
      <MastheadMain>
        <MastheadToggle>
          <PageToggleButton variant="plain" aria-label="Global navigation">
            <BarsIcon />
          </PageToggleButton>
        </MastheadToggle>
        <MastheadBrand>
          <MastheadLogo component="span" className="console-shell__brand">
            OpenShift console shell
          </MastheadLogo>
        </MastheadBrand>
      </MastheadMain>
      <MastheadContent>
        <Toolbar isFullHeight isStatic>
          <ToolbarContent>
            <ToolbarGroup align={{ default: 'alignEnd' }} alignItems="center">
              <ToolbarItem>
                <FormSelect
                  id="console-shell-user"
                  aria-label="User"
                  value={user ?? 'admin'}
                  onChange={(_e, value) => void switchUser(value as ShellUser)}
                  isDisabled={!user}
                >
                  {(Object.keys(USER_LABELS) as ShellUser[]).map((u) => (
                    <FormSelectOption key={u} value={u} label={USER_LABELS[u]} isDisabled={!users.includes(u)} />
                  ))}
                </FormSelect>
              </ToolbarItem>
              <ToolbarItem>
                <FormSelect
                  id="console-shell-language"
                  aria-label="Language"
                  value={language}
                  onChange={(_e, value) => {
                    storeLanguage(value);
                    void i18n.changeLanguage(value);
                  }}
                >
                  {SHELL_LANGUAGES.map((l) => (
                    <FormSelectOption key={l.code} value={l.code} label={l.label} />
                  ))}
                </FormSelect>
              </ToolbarItem>
              <ToolbarItem>
                <Switch
                  id="console-shell-dark-theme"
                  label="Dark theme"
                  isChecked={dark}
                  onChange={(_e, c) => onTheme(c)}
                />
              </ToolbarItem>
              <ToolbarItem>
                <span className="console-shell__username" data-test="username">
                  {username ?? '…'}
                </span>
              </ToolbarItem>
            </ToolbarGroup>
          </ToolbarContent>
        </Toolbar>
      </MastheadContent>
    </Masthead>
  );
};
