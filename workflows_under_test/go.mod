module github.com/replicate/cog

go 1.19
