-- Print leaves out what only a screen needs: a chart's text description (the figure is
-- there), its downloads and its data table, and scripts.
local function screen_only(el)
  if el.classes:includes("screen-only") then return {} end
end
Div = screen_only
Span = screen_only
