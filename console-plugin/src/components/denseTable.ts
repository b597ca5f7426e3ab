import type { CSSProperties } from 'react';
import c_table__button_PaddingInlineEnd from '@patternfly/react-tokens/dist/esm/c_table__button_PaddingInlineEnd';
import c_table__button_PaddingInlineStart from '@patternfly/react-tokens/dist/esm/c_table__button_PaddingInlineStart';
import c_table__sort_indicator_MarginInlineStart from '@patternfly/react-tokens/dist/esm/c_table__sort_indicator_MarginInlineStart';
import c_table_cell_PaddingInlineEnd from '@patternfly/react-tokens/dist/esm/c_table_cell_PaddingInlineEnd';
import c_table_cell_PaddingInlineStart from '@patternfly/react-tokens/dist/esm/c_table_cell_PaddingInlineStart';
import t_global_spacer_sm from '@patternfly/react-tokens/dist/esm/t_global_spacer_sm';
import t_global_spacer_xs from '@patternfly/react-tokens/dist/esm/t_global_spacer_xs';

/**
 * A compact table's style for columns 16 px apart instead of 32, and sort arrows beside their
 * header. PatternFly 6 pads every cell and sort button 16 px on each side, compact or not
 * (PatternFly 5's compact tables padded 8), and sets each sort arrow 16 px off its header: a table
 * of eight or nine columns, most of them sortable, needs the narrower gaps to fit the page from
 * 1280 px on, in French too. The selection and action cells keep their own padding, the first and
 * last cells the page's inset. Set through the table's own variables: the plugin's stylesheets
 * may not name them.
 */
export const DENSE_TABLE_STYLE = {
  [c_table_cell_PaddingInlineStart.name]: t_global_spacer_sm.var,
  [c_table_cell_PaddingInlineEnd.name]: t_global_spacer_sm.var,
  [c_table__button_PaddingInlineStart.name]: t_global_spacer_sm.var,
  [c_table__button_PaddingInlineEnd.name]: t_global_spacer_sm.var,
  [c_table__sort_indicator_MarginInlineStart.name]: t_global_spacer_xs.var,
} as CSSProperties;
