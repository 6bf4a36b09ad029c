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

-- A table as print sets it -------------------------------------------------------------
-- The page's text width and a table cell's text (report.typ: A4, 2 cm margins, 8.5 pt
-- text, 4 pt inset each side), and an upper estimate of a character's width in Noto Sans
-- at that size: what a column needs is estimated from the number of characters it holds.
local TEXT_PT = 595.28 - 2 * 56.69
local CHAR_PT = 4.9
local INSET_PT = 8
-- A column whose longest cell is this short keeps its own width (typst's `auto`: it never
-- wraps); the others share the rest of the width as gives the table its best shape (`shape`):
-- each starts as wide as its longest word (a word is never broken), then the width left is
-- handed out in steps, each to the column where it helps most.
local SHORT_CHARS = 18
local STEPS = 100
-- A table of at most this many rows and lines (about half a page) is kept on one page; a
-- longer one breaks between rows, but never leaves its first or its last row alone on a page.
local WHOLE_ROWS = 12
local WHOLE_LINES = 30

-- A cell's words, as their lengths in characters.
local function word_lengths(cell)
  local words = {}
  for word in pandoc.utils.stringify(cell.contents):gmatch("%S+") do
    words[#words + 1] = utf8.len(word) or #word
  end
  return words
end

-- How many lines a cell's words take in a column `width` points wide, wrapped between words.
local function lines_in(words, width)
  local capacity = (width - INSET_PT) / CHAR_PT
  local lines, used = 1, 0
  for _, n in ipairs(words) do
    if used > 0 and used + 1 + n > capacity then
      lines, used = lines + 1, n
    else
      used = used + (used > 0 and 1 or 0) + n
    end
  end
  return lines
end

-- The table's height in lines (each row as tall as its fullest cell), and what its shape
-- costs: a row counts as the square of its lines, so that no cell is left a tall narrow
-- column of words while its neighbours have room.
local function shape(cells, widths, long)
  local lines, cost = 0, 0
  for _, row in ipairs(cells) do
    local tallest = 1
    for _, j in ipairs(long) do tallest = math.max(tallest, lines_in(row[j], widths[j])) end
    lines, cost = lines + tallest, cost + tallest * tallest
  end
  return lines, cost
end

-- Each long column's lines in each row at its width now (`at[i][j]`), so that trying a width
-- for one column wraps that column's cells alone (`cost_with`); a table of many rows and
-- long columns was most of a page's conversion.
local function lines_at(cells, widths, long)
  local at = {width = {}}
  for i, row in ipairs(cells) do
    at[i] = {}
    for _, j in ipairs(long) do at[i][j] = lines_in(row[j], widths[j]) end
  end
  for _, j in ipairs(long) do at.width[j] = widths[j] end
  return at
end

local function rewrap(at, cells, j, width)
  if at.width[j] == width then return end
  for i, row in ipairs(cells) do at[i][j] = lines_in(row[j], width) end
  at.width[j] = width
end

-- `shape`'s cost with column `j` `width` points wide and the other long columns as `at` has them.
local function cost_with(at, cells, long, j, width)
  local cost = 0
  for i, row in ipairs(cells) do
    local tallest = math.max(1, lines_in(row[j], width))
    for _, k in ipairs(long) do
      if k ~= j then tallest = math.max(tallest, at[i][k]) end
    end
    cost = cost + tallest * tallest
  end
  return cost
end

-- Each column's width as a share of the text width, or nil where it keeps its own, and
-- the table's height in lines (about).
local function column_widths(tbl, rows)
  local columns = #tbl.colspecs
  local longest, word, total, cells = {}, {}, {}, {}
  for j = 1, columns do longest[j], word[j], total[j] = 0, 0, 0 end
  local function measure(j, words)
    local n = #words - 1
    for _, w in ipairs(words) do
      n = n + w
      word[j] = math.max(word[j], w)
    end
    return math.max(n, 0)
  end
  for _, row in ipairs(tbl.head.rows) do
    for j, cell in ipairs(row.cells) do measure(j, word_lengths(cell)) end
  end
  for i, row in ipairs(rows) do
    cells[i] = {}
    for j, cell in ipairs(row.cells) do
      cells[i][j] = word_lengths(cell)
      local n = measure(j, cells[i][j])
      longest[j], total[j] = math.max(longest[j], n), total[j] + n
    end
  end
  local natural, room, long, floor, wanted = 0, TEXT_PT, {}, {}, {}
  for j = 1, columns do
    local own = math.max(longest[j], word[j]) * CHAR_PT + INSET_PT
    natural = natural + own
    if longest[j] <= SHORT_CHARS then
      room = room - own
    else
      long[#long + 1] = j
      -- Never narrower than its longest word; where there is room, as wide as its usual
      -- cell (the median's length, up to SHORT_CHARS), so that those read on one line.
      local sizes = {}
      for i = 1, #rows do sizes[i] = measure(j, cells[i][j]) end
      table.sort(sizes)
      local usual = math.min(sizes[math.ceil(#sizes / 2)], SHORT_CHARS)
      floor[j] = word[j] * CHAR_PT + INSET_PT
      wanted[j] = math.max(word[j], usual) * CHAR_PT + INSET_PT
    end
  end
  if natural <= TEXT_PT or #long == 0 then return {}, #rows end -- every column at its own width
  local floors, wants = 0, 0
  for _, j in ipairs(long) do floors, wants = floors + floor[j], wants + wanted[j] end
  local share = wants > floors and math.min(1, math.max(room - floors, 0) / (wants - floors)) or 0
  local widths = {}
  for _, j in ipairs(long) do
    widths[j] = floor[j] + (wanted[j] - floor[j]) * share
    room = room - widths[j]
  end
  local step = math.max(room, 0) / STEPS
  local _, cost = shape(cells, widths, long)
  local at = lines_at(cells, widths, long)
  local left = STEPS
  while left > 0 do
    -- The width goes where it saves the most per step: for each column, one step, two,
    -- four … (one step alone may save nothing: a word moves up a line only once the line
    -- is wide enough for it); between equals, to the column with the most text for its width.
    local best, best_rate, best_steps, best_crowding = nil, -1, 1, -1
    for _, j in ipairs(long) do
      local n = 1
      while n <= math.min(left, 32) do
        widths[j] = widths[j] + n * step
        local trial = cost_with(at, cells, long, j, widths[j])
        widths[j] = widths[j] - n * step
        local rate, crowding = (cost - trial) / n, total[j] / widths[j]
        if rate > best_rate or (rate == best_rate and crowding > best_crowding) then
          best, best_rate, best_steps, best_crowding = j, rate, n, crowding
        end
        n = n * 2
      end
      rewrap(at, cells, j, widths[j]) -- put back as tried: the same width, or to the last bit
    end
    if best_rate <= 0 then best_steps = 1 end
    widths[best] = widths[best] + best_steps * step
    rewrap(at, cells, best, widths[best])
    cost = cost_with(at, cells, long, best, widths[best])
    left = left - best_steps
  end
  local lines = shape(cells, widths, long)
  for _, j in ipairs(long) do widths[j] = widths[j] / TEXT_PT end
  return widths, lines
end

-- Rows kept together: all of a short table's (`WHOLE_ROWS`, `WHOLE_LINES`; three rows
-- always), else the first two and the last two. An empty column of no width holds one
-- unbreakable cell spanning each such run of rows (report.typ makes every cell
-- unbreakable): typst places the rows it spans on one page.
local function glued_runs(n, lines)
  if n <= 3 or (n <= WHOLE_ROWS and lines <= WHOLE_LINES) then return {{1, n}} end
  return {{1, 2}, {n - 1, n}}
end

local function glue(tbl, rows, lines)
  tbl.colspecs:insert({"AlignDefault", 0})
  for _, row in ipairs(tbl.head.rows) do row.cells:insert(pandoc.Cell({})) end
  local starts, covered = {}, {}
  for _, run in ipairs(glued_runs(#rows, lines)) do
    starts[run[1]] = run[2] - run[1] + 1
    for i = run[1] + 1, run[2] do covered[i] = true end
  end
  for i, row in ipairs(rows) do
    if starts[i] then
      row.cells:insert(pandoc.Cell({}, "AlignDefault", starts[i], 1))
    elseif not covered[i] then
      row.cells:insert(pandoc.Cell({}))
    end
  end
end

-- Great Tables marks right-aligned (numeric) columns with a class on their cells; the
-- column's alignment carries it into print.
function Table(tbl)
  local rows = tbl.bodies[1] and tbl.bodies[1].body or {}
  if #rows == 0 or #tbl.bodies > 1 then return nil end
  for i, cell in ipairs(rows[1].cells) do
    if cell.classes:includes("gt_right") then tbl.colspecs[i][1] = "AlignRight" end
  end
  local widths, lines = column_widths(tbl, rows)
  for j, share in pairs(widths) do tbl.colspecs[j][2] = share end
  glue(tbl, rows, lines)
  return tbl
end

-- A figure's image carries its text alternative into the PDF's tags (typst writes it as the
-- /Alt of the figure's structure element); pandoc's typst writer leaves `alt` out. A chart's
-- image is named by its title on screen (its description beside it, `aria-describedby`);
-- print has no description beside it, so its alternative is the description itself.
local function typst_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\n', ' ') .. '"'
end

function Image(img)
  local alt = img.attributes["print-alt"] or img.attributes["data-print-alt"]
    or pandoc.utils.stringify(img.caption)
  if alt == "" then return nil end
  return pandoc.RawInline("typst",
    "#box(image(" .. typst_string(img.src) .. ", alt: " .. typst_string(alt) .. "))")
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

-- A link to a page of the site (an indicator's entry, a source's, a chart's own page: a
-- chart's title links to it on screen) leads nowhere from the PDF: its words stay, unlinked.
function Link(link)
  if link.classes:includes("chart-page-link") then return link.content end
  if not link.target:match("^%a[%w+.-]*:") and link.target:match("%.html") then
    return link.content
  end
end
