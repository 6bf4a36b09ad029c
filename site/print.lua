-- Print leaves out what only a screen needs: a chart's text description (the figure is
-- there), its downloads and its data table, and any raw HTML (scripts, styles).
local function screen_only(el)
  if el.classes:includes("screen-only") then return {} end
end
Div = screen_only
Span = screen_only

function RawBlock(el) return {} end
function RawInline(el) return {} end
