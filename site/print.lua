-- Print leaves out what only a screen needs: a chart's text description (the figure is
-- there), its downloads and its data table, and the pages' styles and scripts.
local function screen_only(el)
  if el.classes:includes("screen-only") then return {} end
end
Div = screen_only
Span = screen_only

-- A chart prints as its image and caption. Its data table sits in a screen-only
-- <details>, which pandoc's HTML reader unwraps (it has no Div for <details>), so the
-- figure keeps only the chart itself.
function Figure(fig)
  if fig.classes:includes("chart") then
    fig.content = fig.content:filter(function(block)
      return block.t == "Div" and block.classes:includes("vega-chart")
    end)
    return fig
  end
end

-- Great Tables puts its CSS in a <style> element; print has its own table design.
function RawBlock(raw)
  if raw.format == "html" then return {} end
end

function RawInline(raw)
  if raw.format == "html" then return {} end
end

-- Great Tables marks right-aligned (numeric) columns with a class on their cells; the
-- column's alignment carries it into print.
function Table(tbl)
  local rows = tbl.bodies[1] and tbl.bodies[1].body or {}
  if #rows == 0 then return nil end
  for i, cell in ipairs(rows[1].cells) do
    if cell.classes:includes("gt_right") then tbl.colspecs[i][1] = "AlignRight" end
  end
  return tbl
end

-- Pandoc writes the apostrophe ’ as Typst's ', which Typst turns into a prime after a digit
-- ("Plan 46′s"): the apostrophe goes through as itself.
function Str(s)
  if not s.text:find("’", 1, true) then return nil end
  local out, rest = pandoc.List(), s.text
  while true do
    local at = rest:find("’", 1, true)
    if not at then break end
    if at > 1 then out:insert(pandoc.Str(rest:sub(1, at - 1))) end
    out:insert(pandoc.RawInline("typst", "’"))
    rest = rest:sub(at + #"’")
  end
  if rest ~= "" then out:insert(pandoc.Str(rest)) end
  return out
end

-- A chart's title links to the chart's own page on screen; print keeps the title alone.
function Link(link)
  if link.classes:includes("chart-page-link") then return link.content end
end
